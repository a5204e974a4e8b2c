package ledger

import (
	"errors"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"github.com/google/uuid"
)

// Deal is what the postings need to know about a signed deal: the parties,
// the agreed fees, the provider buyer money goes through, and every
// milestone, whose prices and order fix each one's share of the fee.
type Deal struct {
	ID                string
	BuyerOrgID        string
	SellerOrgID       string
	IntermediaryOrgID string // "" without an intermediary
	Currency          string
	PlatformBPS       int64 // the platform fee agreed for the deal
	Fee               FeeTerms
	Provider          string // ProviderStripe or ProviderBank
	Milestones        []Milestone
}

// Milestone is a milestone's money: its place in the contract and what has
// moved for it so far. Which transitions may move money is the domain's
// state machine's to say; the postings only divide and book.
type Milestone struct {
	ID       string
	DealID   string
	Seq      int
	Amount   int64 // its price
	Currency string
	Funded   int64 // paid into escrow
	Refunded int64 // returned to the buyer from escrow
	Version  int64 // refunds are keyed by it, as they may repeat
}

// Validate checks the parties, currency, provider and milestones.
func (d Deal) Validate() error {
	var errs []error
	add := func(kind error, field string, code msgs.Code, args ...any) {
		errs = append(errs, refuse(kind, field, code, args...))
	}
	if d.ID == "" || d.BuyerOrgID == "" || d.SellerOrgID == "" || d.BuyerOrgID == d.SellerOrgID {
		add(ErrInvalid, "deal", "needs an id and two different parties")
	}
	if _, err := Lookup(d.Currency); err != nil {
		add(ErrCurrency, "currency", "%q is not a currency the platform handles", d.Currency)
	}
	if d.Provider != ProviderStripe && d.Provider != ProviderBank {
		add(ErrInvalid, "provider", "must be %q or %q", ProviderStripe, ProviderBank)
	}
	if !d.Fee.IsZero() && d.IntermediaryOrgID == "" {
		add(ErrInvalid, "intermediary", "a fee needs an intermediary")
	}
	if d.IntermediaryOrgID != "" && (d.IntermediaryOrgID == d.BuyerOrgID || d.IntermediaryOrgID == d.SellerOrgID) {
		add(ErrInvalid, "intermediary", "must not be a party to the deal")
	}
	if len(d.Milestones) == 0 {
		add(ErrInvalid, "milestones", "a deal needs at least one milestone")
	}
	for _, m := range d.Milestones {
		if m.DealID != d.ID || m.Currency != d.Currency {
			add(ErrInvalid, "milestones", "milestone %s belongs to another deal or currency", m.ID)
			break
		}
	}
	return errors.Join(errs...)
}

// Split returns how milestone m's money divides, given its refunds so far.
func (d Deal) Split(m Milestone) (Shares, error) {
	if err := d.Validate(); err != nil {
		return Shares{}, err
	}
	var value, before int64
	found := false
	for _, x := range d.Milestones {
		var err error
		if value, err = Add(value, x.Amount); err != nil {
			return Shares{}, err
		}
		if x.ID == m.ID {
			found = true
			if x.Amount != m.Amount || x.Seq != m.Seq {
				return Shares{}, refuse(ErrInvalid, "milestone", msgs.MilestoneXDiffersFromDealS, m.ID)
			}
		} else if x.Seq < m.Seq {
			before += x.Amount
		}
	}
	if !found {
		return Shares{}, refuse(ErrInvalid, "milestone", msgs.MilestoneXNotPartDealX, m.ID, d.ID)
	}
	return Split(SplitInput{Currency: d.Currency, Amount: m.Amount, ContractValue: value, Before: before,
		PlatformBPS: d.PlatformBPS, Terms: d.Fee, Refunded: m.Refunded})
}

// newTx assembles a transaction, drops zero entries (a fee of nothing books
// nothing) and validates it, so every posting returned is balanced.
func newTx(kind, key, currency string, refs TxRefs, at time.Time, entries ...Entry) (Transaction, error) {
	tx := Transaction{ID: uuid.Must(uuid.NewV7()).String(), Kind: kind, IdempotencyKey: key, Currency: currency,
		At: at.UTC(), Refs: refs}
	for _, e := range entries {
		if e.Amount != 0 {
			e.Currency = currency
			tx.Entries = append(tx.Entries, e)
		}
	}
	if err := tx.Validate(); err != nil {
		return Transaction{}, err
	}
	return tx, nil
}

// The postings below each take the milestone after its transition and
// build the one ledger transaction for the money that transition moved.
// Their idempotency keys derive from the milestone id (and, for refunds,
// which may repeat, its version), so a retried request or replayed webhook
// finds the transaction already booked.

// PostFund books the buyer's payment: provider clearing → deal escrow. The
// funded amount must be exactly what Split asks of the buyer.
func PostFund(d Deal, m Milestone, at time.Time) (Transaction, error) {
	s, err := d.Split(Milestone{ID: m.ID, DealID: m.DealID, Seq: m.Seq, Amount: m.Amount, Currency: m.Currency})
	if err != nil {
		return Transaction{}, err
	}
	if m.Funded != s.Funded {
		return Transaction{}, refuse(ErrInvalid, "amount", msgs.FundedXMilestoneNeedsX,
			Money{m.Funded, d.Currency}, Money{s.Funded, d.Currency})
	}
	return newTx(TxFund, "milestone:"+m.ID+":fund", d.Currency, refs(d, m), at,
		Entry{Account: ClearingAccount(d.Provider), Amount: -m.Funded},
		Entry{Account: EscrowAccount(d.ID), Amount: m.Funded})
}

// PostRelease books a release: escrow → the seller's and intermediary's
// payables and platform revenue, as Split divides what escrow still holds.
func PostRelease(d Deal, m Milestone, at time.Time) (Transaction, error) {
	s, err := d.Split(m)
	if err != nil {
		return Transaction{}, err
	}
	return newTx(TxRelease, "milestone:"+m.ID+":release", d.Currency, refs(d, m), at,
		append([]Entry{{Account: EscrowAccount(d.ID), Amount: -s.Gross}}, shareEntries(d, s)...)...)
}

// PostRefund books a refund of amount: escrow → clearing, back to the buyer
// through the provider they paid with.
func PostRefund(d Deal, m Milestone, amount int64, at time.Time) (Transaction, error) {
	if err := d.Validate(); err != nil {
		return Transaction{}, err
	}
	if amount <= 0 || amount > m.Refunded {
		return Transaction{}, refuse(ErrInvalid, "amount", msgs.RefundOneToN, Money{1, d.Currency}, Money{m.Refunded, d.Currency})
	}
	key := "milestone:" + m.ID + ":refund:v" + strconv.FormatInt(m.Version, 10)
	return newTx(TxRefund, key, d.Currency, refs(d, m), at,
		Entry{Account: EscrowAccount(d.ID), Amount: -amount},
		Entry{Account: ClearingAccount(d.Provider), Amount: amount})
}

// PostSettle books an admin's settlement in one transaction: refund goes back
// to the buyer and the rest of the escrow is released as Split divides it.
func PostSettle(d Deal, m Milestone, refund int64, at time.Time) (Transaction, error) {
	if refund < 0 || refund > m.Refunded {
		return Transaction{}, refuse(ErrInvalid, "amount", msgs.RefundZeroToN, Money{0, d.Currency}, Money{m.Refunded, d.Currency})
	}
	s, err := d.Split(m)
	if err != nil {
		return Transaction{}, err
	}
	out, err := Add(refund, s.Gross)
	if err != nil {
		return Transaction{}, err
	}
	entries := []Entry{
		{Account: EscrowAccount(d.ID), Amount: -out},
		{Account: ClearingAccount(d.Provider), Amount: refund},
	}
	return newTx(TxSettle, "milestone:"+m.ID+":settle", d.Currency, refs(d, m), at,
		append(entries, shareEntries(d, s)...)...)
}

// Payout is money leaving the platform for an organisation's own account.
type Payout struct {
	ID       string // the platform's payout id; the idempotency key derives from it
	OrgID    string
	Currency string
	Amount   int64
	Provider string // ProviderStripe or ProviderBank
	External string // the provider's transfer reference, when known
}

// PostPayout books a payout: the organisation's payable → provider clearing.
// Whether the payable holds enough is a question for the current balances:
// the store checks Balances.CanPost before it books.
func PostPayout(p Payout, at time.Time) (Transaction, error) {
	var errs []error
	if p.ID == "" {
		errs = append(errs, refuse(ErrInvalid, "id", msgs.Required))
	}
	if PayableAccount(p.OrgID).Kind() == "" {
		errs = append(errs, refuse(ErrInvalid, "org_id", msgs.NotValidOrganisationId))
	}
	if err := CheckAmount("amount", p.Amount, p.Currency, false); err != nil {
		errs = append(errs, err)
	}
	if p.Provider != ProviderStripe && p.Provider != ProviderBank {
		errs = append(errs, refuse(ErrInvalid, "provider", msgs.EitherOr, ProviderStripe, ProviderBank))
	}
	if len(errs) > 0 {
		return Transaction{}, errors.Join(errs...)
	}
	return newTx(TxPayout, "payout:"+p.ID, p.Currency, TxRefs{OrgID: p.OrgID, External: p.External}, at,
		Entry{Account: PayableAccount(p.OrgID), Amount: -p.Amount},
		Entry{Account: ClearingAccount(p.Provider), Amount: p.Amount})
}

func shareEntries(d Deal, s Shares) []Entry {
	return []Entry{
		{Account: PayableAccount(d.SellerOrgID), Amount: s.Seller},
		{Account: PlatformRevenue, Amount: s.Platform},
		{Account: PayableAccount(d.IntermediaryOrgID), Amount: s.Intermediary},
	}
}

func refs(d Deal, m Milestone) TxRefs {
	return TxRefs{DealID: d.ID, MilestoneID: m.ID}
}
