package market

import "techbridge/market/ledger"

// The ledger's types live in market/ledger, the leaf money package; these
// names keep the domain's vocabulary (market.Transaction, market.EscrowAccount …)
// for the code that speaks it.
type (
	// Transaction is one balanced money movement (ledger.Transaction).
	Transaction = ledger.Transaction
	// TxRefs ties a transaction to the objects it concerns.
	TxRefs = ledger.TxRefs
	// Entry changes one account's balance.
	Entry = ledger.Entry
	// AccountKey names a ledger account.
	AccountKey = ledger.AccountKey
	// BalanceKey is one account in one currency.
	BalanceKey = ledger.BalanceKey
	// Balances maps accounts to their balances.
	Balances = ledger.Balances
)

// Transaction kinds, account kinds and providers, as in ledger.
const (
	TxFund          = ledger.TxFund
	TxRelease       = ledger.TxRelease
	TxRefund        = ledger.TxRefund
	TxSettle        = ledger.TxSettle
	TxPayout        = ledger.TxPayout
	AccountEscrow   = ledger.AccountEscrow
	AccountPayable  = ledger.AccountPayable
	AccountPlatform = ledger.AccountPlatform
	AccountClearing = ledger.AccountClearing
	ProviderStripe  = ledger.ProviderStripe
	ProviderBank    = ledger.ProviderBank
	PlatformRevenue = ledger.PlatformRevenue
)

// TxKinds lists every transaction kind.
var TxKinds = ledger.TxKinds

// EscrowAccount is where a deal's milestone funding waits.
func EscrowAccount(dealID string) AccountKey { return ledger.EscrowAccount(dealID) }

// PayableAccount holds what the platform owes an organisation until payout.
func PayableAccount(orgID string) AccountKey { return ledger.PayableAccount(orgID) }

// ClearingAccount mirrors money at a provider.
func ClearingAccount(provider string) AccountKey { return ledger.ClearingAccount(provider) }

// ComputeBalances sums the entries of every transaction (ledger.ComputeBalances).
func ComputeBalances(txs []Transaction) Balances { return ledger.ComputeBalances(txs) }

// CheckedBalances sums with checked arithmetic and names the accounts whose
// sums leave the bounds (ledger.CheckedBalances).
func CheckedBalances(txs []Transaction) (Balances, []BalanceKey) { return ledger.CheckedBalances(txs) }

// ValidCurrencyCode reports whether s looks like an ISO 4217 code (three
// upper-case letters); ledger.Lookup says whether the platform handles it.
func ValidCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
