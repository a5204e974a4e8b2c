// Package auth issues and verifies access tokens: EdDSA-signed JWTs with a
// pinned algorithm, key id, issuer, audience and a short lifetime, and keeps
// the list of revoked token ids.
package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// KeyFile is the name of the signing key generated into the data dir.
const KeyFile = "jwt-ed25519.pem"

// Key is a signing key and its id (the kid header).
type Key struct {
	ID      string
	Private ed25519.PrivateKey
}

// ParseKey reads a PKCS#8 PEM Ed25519 private key.
func ParseKey(pemText []byte) (Key, error) {
	block, _ := pem.Decode(pemText)
	if block == nil {
		return Key{}, errors.New("jwt key: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return Key{}, fmt.Errorf("jwt key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return Key{}, errors.New("jwt key: not an Ed25519 key")
	}
	return newKey(priv), nil
}

func newKey(priv ed25519.PrivateKey) Key {
	sum := sha256.Sum256(priv.Public().(ed25519.PublicKey))
	return Key{ID: hex.EncodeToString(sum[:8]), Private: priv}
}

// GenerateKey returns a fresh key.
func GenerateKey() Key {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return newKey(priv)
}

// LoadOrCreateKey returns the key from pemText when given, else the one in
// dataDir, generating and saving it (mode 0600) on first use so that tokens
// survive restarts.
func LoadOrCreateKey(pemText, dataDir string) (Key, error) {
	if pemText != "" {
		return ParseKey([]byte(pemText))
	}
	path := filepath.Join(dataDir, KeyFile)
	if b, err := os.ReadFile(path); err == nil {
		return ParseKey(b)
	} else if !errors.Is(err, os.ErrNotExist) {
		return Key{}, err
	}
	k := GenerateKey()
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return Key{}, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return Key{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process won the race
		return LoadOrCreateKey("", dataDir)
	} else if err != nil {
		return Key{}, err
	}
	defer f.Close()
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		return Key{}, err
	}
	return k, f.Close()
}
