package market

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// NDA is one version of an organisation's non-disclosure agreement. Buyers
// accept a version by its hash, so an edited text is a new version that
// needs a new acceptance.
type NDA struct {
	OwnerOrgID  string
	Version     int
	Text        string
	Hash        string // hex SHA-256 of Text, exactly as stored
	PublishedAt time.Time
}

// NDAAcceptance records that an account accepted one NDA version for its
// organisation.
type NDAAcceptance struct {
	OrgID      string
	AccountID  string
	NDAVersion int
	NDAHash    string
	AcceptedAt time.Time
}

// NDAHash returns the hex SHA-256 of an NDA text; no normalisation, so the
// hash covers exactly the bytes the buyer was shown.
func NDAHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// NewNDA returns version of ownerOrgID's NDA with its hash.
func NewNDA(ownerOrgID string, version int, text string, now time.Time) (NDA, error) {
	var f Fields
	if ownerOrgID == "" {
		f.Add("owner_org_id", msgs.Required)
	}
	if version < 1 {
		f.Add("version", msgs.OneOrMore)
	}
	if strings.TrimSpace(text) == "" {
		f.Add("text", msgs.Required)
	}
	checkLen(&f, "text", text, 100000)
	if err := f.Err(); err != nil {
		return NDA{}, err
	}
	return NDA{OwnerOrgID: ownerOrgID, Version: version, Text: text, Hash: NDAHash(text), PublishedAt: now.UTC()}, nil
}

// Covers reports whether the acceptance is of exactly this NDA version.
func (a NDAAcceptance) Covers(n NDA) bool { return a.NDAVersion == n.Version && a.NDAHash == n.Hash }

// ConfidentialVisibleTo reports whether the actor may see the confidential
// details of the deal's outcome: always when the outcome is not confidential
// (and the actor can see the deal); otherwise the seller and admins, and the
// buyer only once it accepted this deal's NDA. Intermediaries accepted no NDA
// and see none.
func (d Deal) ConfidentialVisibleTo(a DealActor) bool {
	if !d.VisibleTo(a) {
		return false
	}
	if d.NDA == nil {
		return true
	}
	switch a.Role {
	case DealRoleSeller, DealRoleAdmin:
		return true
	case DealRoleBuyer:
		return d.NDAAcceptance != nil && d.NDAAcceptance.OrgID == d.BuyerOrgID && d.NDAAcceptance.Covers(*d.NDA)
	}
	return false
}
