package ledger

import "strings"

// Ledger account kinds, the first part of an AccountKey.
const (
	AccountEscrow   = "escrow"   // money a buyer paid for a deal, held until release or refund
	AccountPayable  = "payable"  // money the platform owes an organisation (seller or intermediary)
	AccountPlatform = "platform" // the platform's own revenue
	AccountClearing = "clearing" // the mirror of money held at a payment provider
)

// Payment providers that have a clearing account.
const (
	ProviderStripe = "stripe"
	ProviderBank   = "bank" // manual bank transfer confirmed by the platform
)

// AccountKey names a ledger account: "escrow:deal:<id>", "payable:org:<id>",
// "platform:revenue" or "clearing:<provider>". Accounts need no row of their
// own: a key is valid by its shape, and its balance is the sum of its entries.
type AccountKey string

// PlatformRevenue is the one account that collects platform fees.
const PlatformRevenue AccountKey = "platform:revenue"

// EscrowAccount is where a deal's milestone funding waits.
func EscrowAccount(dealID string) AccountKey { return AccountKey("escrow:deal:" + dealID) }

// PayableAccount holds what the platform owes an organisation until payout;
// sellers and intermediaries alike, so an organisation has one balance.
func PayableAccount(orgID string) AccountKey { return AccountKey("payable:org:" + orgID) }

// ClearingAccount mirrors money at a provider: money comes in from buyers and
// goes out to payees through it, so its balance is the negative of what the
// platform holds there.
func ClearingAccount(provider string) AccountKey { return AccountKey("clearing:" + provider) }

// Kind returns the account's kind, or "" when the key is malformed.
func (k AccountKey) Kind() string {
	parts := strings.Split(string(k), ":")
	switch {
	case len(parts) == 3 && parts[0] == AccountEscrow && parts[1] == "deal" && validKeyPart(parts[2]),
		len(parts) == 3 && parts[0] == AccountPayable && parts[1] == "org" && validKeyPart(parts[2]),
		len(parts) == 2 && parts[0] == AccountClearing && validKeyPart(parts[1]):
		return parts[0]
	case k == PlatformRevenue:
		return AccountPlatform
	}
	return ""
}

// Owner returns the deal id of an escrow account, the organisation id of a
// payable, the provider of a clearing account and "" otherwise.
func (k AccountKey) Owner() string {
	if k.Kind() == "" || k == PlatformRevenue {
		return ""
	}
	s := string(k)
	return s[strings.LastIndexByte(s, ':')+1:]
}

// NonNegative reports whether the account must never go below zero: escrow,
// payables and revenue hold real money for someone, so a negative balance
// means money was paid out that never came in. Clearing accounts may go
// either way, because money can arrive through one provider and leave
// through another.
func (k AccountKey) NonNegative() bool {
	switch k.Kind() {
	case AccountEscrow, AccountPayable, AccountPlatform:
		return true
	}
	return false
}

// validKeyPart allows ids and provider names but nothing that could forge
// another key: no separators, no spaces, no upper case.
func validKeyPart(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
