package web

import (
	"fmt"
	"strconv"
	"time"

	"techbridge/market"
)

// contractParty is one party as the printable contract names it.
type contractParty struct {
	Role  string // what the contract calls it (许可人, Licensee …)
	Party market.ContractParty
	Name  string // in the page's language, else the other
}

// contractSignature is a party's signature as the page shows it.
type contractSignature struct {
	Role, Org string
	At        string // in China's time zone, as every page shows times
}

// Parties are the contract's parties in order: buyer, seller, intermediary.
func (p *contractPage) Parties() []contractParty {
	c := p.View.Deal.Contract
	_, buyer, seller := market.ContractLabels(c.Terms.ContractType, p.Lang)
	out := []contractParty{{buyer, c.Buyer, partyName(c.Buyer, p.Lang)}, {seller, c.Seller, partyName(c.Seller, p.Lang)}}
	if c.Intermediary != nil {
		out = append(out, contractParty{translate(p.Lang, "contract.intermediary"), *c.Intermediary, partyName(*c.Intermediary, p.Lang)})
	}
	return out
}

func partyName(cp market.ContractParty, lang string) string {
	if lang == langEN && cp.NameEN != "" || cp.NameZH == "" {
		return cp.NameEN
	}
	return cp.NameZH
}

// TypeName is the contract type's name in the page's language.
func (p *contractPage) TypeName() string {
	name, _, _ := market.ContractLabels(p.View.Deal.Contract.Terms.ContractType, p.Lang)
	return name
}

// Title and OtherTitle are the contract's name in the page's language and
// in the other.
func (p *contractPage) Title() string {
	c := p.View.Deal.Contract
	if p.Lang == langEN {
		return c.NameEN
	}
	return c.NameZH
}

// OtherTitle is the contract's name in the other language.
func (p *contractPage) OtherTitle() string {
	c := p.View.Deal.Contract
	if p.Lang == langEN {
		return c.NameZH
	}
	return c.NameEN
}

// FeeText describes the intermediary's fee in the page's language.
func (p *contractPage) FeeText() string {
	if f := p.View.Deal.Contract.IntermediaryFee; f != nil {
		return market.FeeText(*f, p.Lang)
	}
	return ""
}

// PlatformFee describes the platform fee the contract fixed, "" when a
// /1 contract is not signed yet.
func (p *contractPage) PlatformFee() string {
	if bps := p.View.Deal.Contract.PlatformBPS; bps != nil {
		return market.PlatformFeeText(*bps, p.Lang)
	}
	return ""
}

// Clauses are the standard clauses the contract's text carries (format
// /2; a /1 contract was signed without them), in the page's language.
func (p *contractPage) Clauses() []string {
	c := p.View.Deal.Contract
	if c.Format != market.ContractFormat2 {
		return nil
	}
	var out []string
	for _, cl := range market.ContractClauses(c.Terms.ContractType, c.Intermediary != nil) {
		if p.Lang == langEN {
			out = append(out, cl.EN)
		} else {
			out = append(out, cl.ZH)
		}
	}
	return out
}

// Signatures are the buyer's and the seller's signatures, or their absence.
func (p *contractPage) Signatures() []contractSignature {
	d := p.View.Deal
	_, buyer, seller := market.ContractLabels(d.Contract.Terms.ContractType, p.Lang)
	var out []contractSignature
	for _, s := range []struct {
		role, label string
		party       market.ContractParty
	}{{market.DealRoleBuyer, buyer, d.Contract.Buyer}, {market.DealRoleSeller, seller, d.Contract.Seller}} {
		cs := contractSignature{Role: s.label, Org: partyName(s.party, p.Lang)}
		if sig := d.SignatureOf(s.role); sig != nil {
			cs.At = cst(sig.SignedAt)
		}
		out = append(out, cs)
	}
	return out
}

// Fingerprint is the short form of the contract's hash people compare
// (the deal room shows the same).
func (p *contractPage) Fingerprint() string { return fingerprint(p.View.Deal.Contract.Hash) }

// Date is a day as the contract prints it.
func (p *contractPage) Date(t time.Time) string { return t.UTC().Format("2006-01-02") }

// When is a moment in China's time zone.
func (p *contractPage) When(t time.Time) string { return cst(t) }

// contractMilestone is one row of the contract's payment schedule.
type contractMilestone struct {
	No                 int
	Title, Deliverable string
	Amount, Due        string
}

// Milestones is the payment schedule, amounts in the page's format.
func (p *contractPage) Milestones() []contractMilestone {
	t := p.View.Deal.Contract.Terms
	var out []contractMilestone
	for i, m := range t.Milestones {
		out = append(out, contractMilestone{No: i + 1, Title: m.Title, Deliverable: m.Deliverable,
			Amount: p.Money(m.Amount, t.Currency), Due: p.Date(m.Due)})
	}
	return out
}

// Technical is the technical income: the price less non-technical costs.
func (p *contractPage) Technical() int64 {
	t := p.View.Deal.Contract.Terms
	return t.Price - t.NonTechnicalAmount
}

// Royalty is the royalty rate, exact in basis points.
func (p *contractPage) Royalty() string {
	bps := p.View.Deal.Contract.Terms.RoyaltyBPS
	return fmt.Sprintf("%d.%02d%%", bps/100, bps%100)
}

// Heading is a section's heading, numbered among the sections this
// contract has (no intermediary, no clauses: the numbers close up): zh
// "三、价款及支付", en "3. Price and payment".
func (p *contractPage) Heading(section string) string {
	c := p.View.Deal.Contract
	n := 0
	for _, s := range []string{"parties", "subject", "price", "intermediary", "clauses", "signatures"} {
		if s == "intermediary" && c.Intermediary == nil || s == "clauses" && len(p.Clauses()) == 0 {
			continue
		}
		n++
		if s == section {
			break
		}
	}
	title := translate(p.Lang, "contract.s."+section)
	if p.Lang == langEN {
		return strconv.Itoa(n) + ". " + title
	}
	return []string{"", "一", "二", "三", "四", "五", "六"}[n] + "、" + title
}
