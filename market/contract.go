package market

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// ContractParty is an organisation as named in a contract, copied from its
// registered details when the contract is drafted.
type ContractParty struct {
	OrgID      string
	NameZH     string
	NameEN     string
	CreditCode string // unified social credit code
	Region     string
}

// ContractInput is what drafting needs besides the offer: the subject (the
// outcome's or scenario's title) and the parties' registered details, which
// the service loads; Intermediary is set exactly when the deal has an active one.
type ContractInput struct {
	Subject      string
	Buyer        ContractParty
	Seller       ContractParty
	Intermediary *ContractParty
	PlatformBPS  int64 // the platform fee in force, written into the contract
}

// Contract is drafted from an accepted offer. Document is its canonical text
// and Hash the hex SHA-256 of Document: the thing each party signs. Once the
// deal is signed the contract never changes.
type Contract struct {
	DealID          string
	OfferNumber     int
	Subject         string
	NameZH          string
	NameEN          string
	Buyer           ContractParty
	Seller          ContractParty
	Intermediary    *ContractParty
	IntermediaryFee *FeeTerms
	Terms           OfferTerms // Terms.ContractType is the contract type
	// Format is the document format the contract was drafted in
	// (ContractFormat1 or ContractFormat2); Canonical renders by it.
	Format string
	// PlatformBPS is the platform fee the deal pays, fixed with the
	// contract: written into the document from format /2, recorded at the
	// second signature for a /1 contract. Funding uses it, not the fee in
	// force later; nil only for a /1 contract not signed yet.
	PlatformBPS *int64
	Document    string
	Hash        string
	DraftedAt   time.Time // not part of Document: the same terms give the same hash
}

// Signature is one party's signature on a contract hash.
type Signature struct {
	Role      string // buyer or seller
	OrgID     string
	AccountID string // the signatory
	Hash      string
	SignedAt  time.Time
}

// ContractHash returns the hex SHA-256 of a canonical contract document.
func ContractHash(document string) string {
	sum := sha256.Sum256([]byte(document))
	return hex.EncodeToString(sum[:])
}

// Verify reports whether Document is the canonical rendering of the contract's
// fields and Hash its hash, e.g. after loading it from the database.
func (c Contract) Verify() bool {
	doc := c.Canonical()
	return doc == c.Document && ContractHash(doc) == c.Hash
}

// DraftContract drafts deal d's contract from offer and in, rendering the
// canonical document and its hash.
func DraftContract(d Deal, offer Offer, in ContractInput, now time.Time) (Contract, error) {
	in.Subject = strings.TrimSpace(in.Subject)
	var f Fields
	if in.Subject == "" {
		f.Add("subject", msgs.Required)
	}
	checkLen(&f, "subject", in.Subject, 200)
	checkContractParty(&f, "buyer", in.Buyer, d.BuyerOrgID)
	checkContractParty(&f, "seller", in.Seller, d.SellerOrgID)
	var fee *FeeTerms
	active := d.Intermediary != nil && d.Intermediary.Active()
	switch {
	case active && in.Intermediary == nil:
		f.Add("intermediary", msgs.RequiredDealHasIntermediary)
	case !active && in.Intermediary != nil:
		f.Add("intermediary", msgs.DealHasNoActiveIntermediary)
	case active:
		checkContractParty(&f, "intermediary", *in.Intermediary, d.Intermediary.OrgID)
		t := d.Intermediary.Fee
		fee = &t
	}
	if err := f.Err(); err != nil {
		return Contract{}, err
	}
	if in.PlatformBPS < 0 || in.PlatformBPS > MaxBPS {
		return Contract{}, Invalid("platform_bps", msgs.ZeroToN, MaxBPS)
	}
	bps := in.PlatformBPS
	c := Contract{DealID: d.ID, OfferNumber: offer.Number, Subject: in.Subject,
		Buyer: in.Buyer, Seller: in.Seller, Intermediary: in.Intermediary, IntermediaryFee: fee,
		Terms: offer.Terms, Format: ContractFormat2, PlatformBPS: &bps, DraftedAt: now.UTC()}
	c.NameZH, c.NameEN = contractNames(c.Terms.ContractType, c.Subject)
	c.Document = c.Canonical()
	c.Hash = ContractHash(c.Document)
	return c, nil
}

// checkContractParty requires the details a registration needs and that the
// party is the organisation the deal names.
func checkContractParty(f *Fields, prefix string, p ContractParty, wantOrgID string) {
	if p.OrgID != wantOrgID {
		f.Add(prefix+".org_id", msgs.NotDealSX, msgs.Term{Kind: "deal.role", Value: prefix})
	}
	if strings.TrimSpace(p.NameZH) == "" && strings.TrimSpace(p.NameEN) == "" {
		f.Add(prefix+".name_zh", msgs.NameInChineseOrEnglishRequired)
	}
	if strings.TrimSpace(p.CreditCode) == "" {
		f.Add(prefix+".credit_code", msgs.Required)
	}
}

// contractNames returns the contract's name in Chinese and English.
func contractNames(contractType, subject string) (zh, en string) {
	l := contractLabelsFor(contractType)
	return "关于“" + subject + "”的" + l.typeZH, l.typeEN + ": " + subject
}
