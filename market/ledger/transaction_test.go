package ledger

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestAccountKeys(t *testing.T) {
	tests := []struct {
		key         AccountKey
		kind, owner string
		nonNeg      bool
	}{
		{EscrowAccount("d-1"), AccountEscrow, "d-1", true},
		{PayableAccount("org_7"), AccountPayable, "org_7", true},
		{PlatformRevenue, AccountPlatform, "", true},
		{ClearingAccount(ProviderStripe), AccountClearing, "stripe", false},
		{ClearingAccount(ProviderBank), AccountClearing, "bank", false},
		{"escrow:deal:", "", "", false},
		{"escrow:org:d1", "", "", false},
		{"payable:org:A", "", "", false},
		{"payable:org:x:y", "", "", false},
		{"payable:org:x y", "", "", false},
		{"clearing:", "", "", false},
		{"platform:fees", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		if k, o, n := tt.key.Kind(), tt.key.Owner(), tt.key.NonNegative(); k != tt.kind || o != tt.owner || n != tt.nonNeg {
			t.Errorf("%q: kind %q owner %q nonneg %v", tt.key, k, o, n)
		}
	}
}

var ledgerT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func fundTx(deal string, amount int64) Transaction {
	return Transaction{ID: "tx-1", Kind: TxFund, IdempotencyKey: "milestone:m1:fund", Currency: "CNY", At: ledgerT0,
		Entries: []Entry{{ClearingAccount(ProviderBank), -amount, "CNY"}, {EscrowAccount(deal), amount, "CNY"}}}
}

func TestTransactionValidate(t *testing.T) {
	if err := fundTx("d1", 500).Validate(); err != nil {
		t.Fatalf("good transaction: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Transaction)
		field string
	}{
		{"no id", func(tx *Transaction) { tx.ID = "" }, "id"},
		{"unknown kind", func(tx *Transaction) { tx.Kind = "gift" }, "kind"},
		{"no key", func(tx *Transaction) { tx.IdempotencyKey = "" }, "idempotency_key"},
		{"bad currency", func(tx *Transaction) { tx.Currency = "rmb" }, "currency"},
		{"local time", func(tx *Transaction) { tx.At = ledgerT0.In(time.FixedZone("CST", 8*3600)) }, "at"},
		{"one entry", func(tx *Transaction) { tx.Entries = tx.Entries[:1] }, "entries"},
		{"unbalanced", func(tx *Transaction) { tx.Entries[1].Amount = 499 }, "entries"},
		{"zero entry", func(tx *Transaction) {
			tx.Entries = append(tx.Entries, Entry{PlatformRevenue, 0, "CNY"})
		}, "entries[2].amount"},
		{"other currency", func(tx *Transaction) { tx.Entries[1].Currency = "USD" }, "entries[1].currency"},
		{"bad account", func(tx *Transaction) { tx.Entries[1].Account = "escrow:d1" }, "entries[1].account"},
		{"same account twice", func(tx *Transaction) {
			tx.Entries = []Entry{{PlatformRevenue, 5, "CNY"}, {PlatformRevenue, -5, "CNY"}}
		}, "entries[1].account"},
		{"wrapped sum", func(tx *Transaction) {
			// max + max + 2 wraps to 0 in int64; it must not pass as balanced.
			tx.Entries = []Entry{{EscrowAccount("a"), math.MaxInt64, "CNY"}, {EscrowAccount("b"), math.MaxInt64, "CNY"},
				{PlatformRevenue, 2, "CNY"}}
		}, "entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := fundTx("d1", 500)
			tt.edit(&tx)
			err := tx.Validate()
			has := false
			for _, e := range Errors(err) {
				has = has || e.Field == tt.field
			}
			if !has {
				t.Fatalf("want a refusal on %s, got %v", tt.field, err)
			}
		})
	}
}

func TestBalances(t *testing.T) {
	release := Transaction{ID: "tx-1", Kind: TxRelease, IdempotencyKey: "milestone:m1:release", Currency: "CNY", At: ledgerT0,
		Entries: []Entry{{EscrowAccount("d1"), -500, "CNY"}, {PayableAccount("s1"), 450, "CNY"}, {PlatformRevenue, 50, "CNY"}}}
	b := ComputeBalances([]Transaction{fundTx("d1", 500), fundTx("d2", 300), release})
	if b.Of(EscrowAccount("d1"), "CNY") != 0 || b.Of(EscrowAccount("d2"), "CNY") != 300 ||
		b.Of(PayableAccount("s1"), "CNY") != 450 || b.Of(ClearingAccount(ProviderBank), "CNY") != -800 ||
		b.Of(PayableAccount("s1"), "USD") != 0 || b.Sum("CNY") != 0 {
		t.Fatalf("balances %v", b)
	}
	if err := b.CheckNonNegative(); err != nil {
		t.Fatalf("clearing may be negative: %v", err)
	}
	// Releasing d1 again would overdraw its escrow.
	release.ID, release.IdempotencyKey = "tx-2", "milestone:m2:release"
	if err := b.CanPost(release); !errors.Is(err, ErrBelowZero) {
		t.Fatalf("overdraft: %v", err)
	}
	if err := b.CanPost(fundTx("d1", 1)); err != nil {
		t.Fatalf("funding: %v", err)
	}
	bad := fundTx("d1", 1)
	bad.Entries[0].Amount = -2
	if err := b.CanPost(bad); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unbalanced: %v", err)
	}
	b[BalanceKey{PayableAccount("s2"), "CNY"}] = -1
	b[BalanceKey{PayableAccount("s1"), "CNY"}] = -1
	if err := b.CheckNonNegative(); !errors.Is(err, ErrBelowZero) || err.Error() != "account payable:org:s1 would hold CNY -0.01; it must not go below zero" {
		t.Fatalf("negative payable: %v", err)
	}
}
