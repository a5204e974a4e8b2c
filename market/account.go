package market

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Platform roles of an account; most accounts have none.
const (
	RoleAdmin    = "admin"    // verifies organisations, settles disputes, reads everything
	RoleReviewer = "reviewer" // reviews listings before they go public
)

// Member roles within an organisation.
const (
	MemberOwner  = "owner"
	MemberMember = "member"
)

// Account is a person who logs in.
type Account struct {
	ID           string
	Email        string
	DisplayName  string
	PasswordHash string
	PlatformRole string // "", RoleAdmin or RoleReviewer
	CreatedAt    time.Time
}

// Membership ties an account to an organisation with a role.
type Membership struct {
	AccountID string
	OrgID     string
	Role      string
	CreatedAt time.Time
}

// NewAccount is a registration request.
type NewAccount struct {
	Email       string
	Password    string
	DisplayName string
}

// Normalize trims and lower-cases the email.
func (n *NewAccount) Normalize() {
	n.Email = NormalizeEmail(n.Email)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
}

// NormalizeEmail is the form emails are stored and compared in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate names every field that is wrong.
func (n NewAccount) Validate() error {
	var f Fields
	if !ValidEmail(n.Email) {
		f.Add("email", "must be a valid email address")
	}
	if utf8.RuneCountInString(n.Password) < 10 {
		f.Add("password", "must be at least 10 characters")
	} else if len(n.Password) > 256 {
		f.Add("password", "must be at most 256 bytes")
	}
	if n.DisplayName == "" {
		f.Add("display_name", "is required")
	}
	checkLen(&f, "display_name", n.DisplayName, 100)
	return f.Err()
}

// ValidEmail reports whether s is a bare address such as a@b.cn.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}
