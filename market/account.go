package market

import (
	"net/mail"
	"strings"
	"techbridge/market/msgs"
	"time"
	"unicode/utf8"
)

// Platform roles of an account; most accounts have none.
const (
	RoleAdmin    = "admin"    // verifies organisations, settles disputes, reads everything
	RoleReviewer = "reviewer" // reviews listings before they go public
	// RoleFinance confirms bank transfers into escrow, imports bank
	// statements and marks payouts paid: the money desk, without the
	// admin's other powers (verification, disputes).
	RoleFinance = "finance"
	// RoleRegistrar is the technology-contract registry (技术合同登记机构):
	// it registers or returns signed contracts submitted to it.
	RoleRegistrar = "registrar"
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
	PlatformRole string // "", RoleAdmin, RoleReviewer or RoleFinance
	CreatedAt    time.Time
	// EmailVerifiedAt is when the account proved it reads Email; nil until
	// then. Unverified accounts browse and draft but commit to nothing.
	EmailVerifiedAt *time.Time
	Language        string   // "zh" or "en": the language of its mail
	MailOptOut      []string // mail categories the account does not want
}

// EmailVerified reports whether the account proved it owns its email.
func (a *Account) EmailVerified() bool { return a.EmailVerifiedAt != nil }

// Languages the platform speaks; the first is the default.
var Languages = []string{"zh", "en"}

// NormalizeLanguage returns lang when the platform speaks it, else the default.
func NormalizeLanguage(lang string) string {
	if oneOf(lang, Languages) {
		return lang
	}
	return Languages[0]
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
	Language    string // "zh" (default) or "en": the language of its mail
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
		f.Add("email", msgs.ValidEmailAddress)
	}
	if err := validPassword(n.Password); err != nil {
		f = append(f, err.(*Error).Fields...)
	}
	if n.DisplayName == "" {
		f.Add("display_name", msgs.Required)
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

// validPassword checks a new password's length.
func validPassword(p string) error {
	if utf8.RuneCountInString(p) < 10 {
		return Invalid("password", msgs.AtLeast10Chars)
	} else if len(p) > 256 {
		return Invalid("password", msgs.AtMost256Bytes)
	}
	return nil
}
