package market

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market/ledger"
)

// The five technology-contract types of Chinese contract law (技术合同).
const (
	ContractDevelopment = "development" // 技术开发
	ContractTransfer    = "transfer"    // 技术转让
	ContractLicence     = "licence"     // 技术许可
	ContractConsulting  = "consulting"  // 技术咨询
	ContractService     = "service"     // 技术服务
)

// ContractTypes lists the contract types in display order.
var ContractTypes = []string{ContractDevelopment, ContractTransfer, ContractLicence, ContractConsulting, ContractService}

// Offer statuses.
const (
	OfferOpen      = "open"      // the latest offer, waiting for an answer
	OfferCountered = "countered" // a later offer replaced it while it was open
	OfferRejected  = "rejected"
	OfferWithdrawn = "withdrawn"
	OfferAccepted  = "accepted" // the contract was drafted from it
	OfferVoided    = "voided"   // accepted, but a later offer voided its contract before signing
)

// Limits on offer input, so a contract document stays a readable size.
const (
	maxOfferMilestones = 50
	maxLicenceMonths   = 1200
)

// Offer is one proposal of contract terms in a deal.
type Offer struct {
	Number              int // 1, 2, 3 … within the deal; identifies the offer in actions
	ProposedByOrgID     string
	ProposedByRole      string // buyer, seller or intermediary
	ProposedByAccountID string
	Status              string
	Terms               OfferTerms
	CreatedAt           time.Time
	RespondedAt         time.Time // when it stopped being open
}

// OfferTerms are the structured terms a contract is drafted from.
type OfferTerms struct {
	ContractType string
	Price        int64  // minor units; the total contract value
	Currency     string // ISO 4217, upper case
	// NonTechnicalAmount is the part of Price that pays for equipment,
	// materials and other non-technical items; registration reports
	// Price minus this as technical income.
	NonTechnicalAmount int64
	Milestones         []MilestoneTerms // amounts add up to Price exactly
	Licence            *LicenceScope
	RoyaltyBPS         int64 // optional running royalty in basis points; 0 = none
	// Registration answers the registration form; required before signing,
	// kept in the registration record and not in the contract document.
	Registration *RegistrationTerms
}

// MilestoneTerms is one deliverable and the part of the price paid for it, as
// offered; once signed, payments tracks each as a Milestone.
type MilestoneTerms struct {
	Title       string
	Deliverable string
	Amount      int64     // minor units, > 0
	Due         time.Time // a date: midnight UTC
}

// LicenceScope is what a licence grants; required for licence contracts.
type LicenceScope struct {
	Exclusive  bool
	Territory  string // e.g. "中国大陆 / Mainland China"
	FieldOfUse string
	TermMonths int
}

// Normalize trims text, upper-cases the currency and cuts due dates to their
// UTC date, so equal terms render to the same contract.
func (t *OfferTerms) Normalize() {
	t.ContractType = strings.TrimSpace(t.ContractType)
	t.Currency = strings.ToUpper(strings.TrimSpace(t.Currency))
	t.Milestones = slices.Clone(t.Milestones)
	for i := range t.Milestones {
		m := &t.Milestones[i]
		m.Title = strings.TrimSpace(m.Title)
		m.Deliverable = strings.TrimSpace(m.Deliverable)
		if !m.Due.IsZero() {
			m.Due = offerDate(m.Due)
		}
	}
	if t.Licence != nil {
		l := *t.Licence
		l.Territory = strings.TrimSpace(l.Territory)
		l.FieldOfUse = strings.TrimSpace(l.FieldOfUse)
		t.Licence = &l
	}
	if t.Registration != nil {
		r := *t.Registration
		r.normalize()
		t.Registration = &r
	}
}

// Validate names every wrong field; due dates may not be before now's UTC date.
func (t OfferTerms) Validate(now time.Time) error {
	var f Fields
	if !slices.Contains(ContractTypes, t.ContractType) {
		f.Add("contract_type", msgs.OneOf, strings.Join(ContractTypes, ", "))
	}
	cur, curErr := ledger.Lookup(t.Currency)
	if curErr != nil {
		f.Add("currency", msgs.XNotCurrencyPlatformHandlesX, t.Currency, ledger.Codes())
	}
	if t.Price <= 0 {
		f.Add("price", msgs.PositiveAmountInMinorUnits)
	} else if curErr == nil && t.Price > cur.Max {
		f.Add("price", msgs.AtMostAmount, ledger.Money{Amount: cur.Max, Currency: t.Currency})
	}
	if t.NonTechnicalAmount < 0 || t.Price > 0 && t.NonTechnicalAmount > t.Price {
		f.Add("non_technical_amount", msgs.Between0AndPrice)
	}
	if t.RoyaltyBPS < 0 || t.RoyaltyBPS > MaxBPS {
		f.Add("royalty_bps", msgs.BasisPointsZeroToN, MaxBPS)
	}
	t.validateMilestones(&f, offerDate(now))
	switch {
	case t.ContractType == ContractLicence && t.Licence == nil:
		f.Add("licence", msgs.RequiredForLicenceContracts)
	case t.ContractType != ContractLicence && t.Licence != nil:
		f.Add("licence", msgs.OnlyForLicenceContracts)
	case t.Licence != nil:
		t.Licence.validate(&f)
	}
	if t.Registration != nil {
		t.Registration.validate(&f, t)
	}
	return f.Err()
}

func (t OfferTerms) validateMilestones(f *Fields, today time.Time) {
	switch n := len(t.Milestones); {
	case n == 0:
		f.Add("milestones", msgs.AtLeastOneMilestoneRequired)
		return
	case n > maxOfferMilestones:
		f.Add("milestones", msgs.AtMostNMilestones, maxOfferMilestones)
		return
	}
	var sum int64
	amountsOK, overflow := true, false
	for i, m := range t.Milestones {
		p := fmt.Sprintf("milestones[%d].", i)
		if m.Title == "" {
			f.Add(p+"title", msgs.Required)
		}
		checkLen(f, p+"title", m.Title, 200)
		if m.Deliverable == "" {
			f.Add(p+"deliverable", msgs.Required)
		}
		checkLen(f, p+"deliverable", m.Deliverable, 2000)
		if m.Amount <= 0 {
			f.Add(p+"amount", msgs.PositiveAmountInMinorUnits)
			amountsOK = false
		} else if m.Amount > ledger.MaxAmount {
			f.Add(p+"amount", msgs.AtMostAmount, ledger.Money{Amount: ledger.MaxAmount, Currency: t.Currency})
			amountsOK = false
		} else if sum > math.MaxInt64-m.Amount {
			overflow = true
		} else {
			sum += m.Amount
		}
		if m.Due.IsZero() {
			f.Add(p+"due_date", msgs.Required)
		} else if offerDate(m.Due).Before(today) {
			f.Add(p+"due_date", msgs.NotInPast)
		}
	}
	// A bad amount is already named; a sum over it would only add noise.
	if amountsOK && t.Price > 0 && (overflow || sum != t.Price) {
		if overflow {
			f.Add("milestones", msgs.AmountsAddUpToMoreThan, ledger.Money{Amount: t.Price, Currency: t.Currency})
		} else {
			f.Add("milestones", msgs.AmountsAddUpToNPrice, ledger.Money{Amount: sum, Currency: t.Currency}, ledger.Money{Amount: t.Price, Currency: t.Currency})
		}
	}
}

func (l LicenceScope) validate(f *Fields) {
	if l.Territory == "" {
		f.Add("licence.territory", msgs.Required)
	}
	checkLen(f, "licence.territory", l.Territory, 200)
	if l.FieldOfUse == "" {
		f.Add("licence.field_of_use", msgs.Required)
	}
	checkLen(f, "licence.field_of_use", l.FieldOfUse, 500)
	if l.TermMonths < 1 || l.TermMonths > maxLicenceMonths {
		f.Add("licence.term_months", msgs.LicenceMonths, maxLicenceMonths)
	}
}

// offerDate returns midnight UTC of t's UTC date.
func offerDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CheckPayable refuses terms that could be signed but not paid: with the
// intermediary fee fee and the platform fee platformBPS, every milestone
// must leave the seller a share of zero or more, and every amount must lie
// within the ledger's bounds (ledger.CheckPayable runs the split funding
// and release will run).
func (t OfferTerms) CheckPayable(fee FeeTerms, platformBPS int64) error {
	amounts := make([]int64, len(t.Milestones))
	for i, m := range t.Milestones {
		amounts[i] = m.Amount
	}
	return MoneyError(ledger.CheckPayable(t.Currency, t.Price, amounts, fee, platformBPS))
}
