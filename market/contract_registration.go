package market

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// registrationZone is UTC+8 without daylight saving, so a fixed zone is exact and
// needs no tzdata; registration dates are dates in China.
var registrationZone = time.FixedZone("CST", 8*60*60)

// dealSignedStates are the states whose contract is signed and can be registered.
var dealSignedStates = []string{DealSigned, DealInProgress, DealCompleted, DealDisputed}

// RegistrationRecord is one signed contract as China's technology-contract
// registration (技术合同登记) asks for it. It is an export format, so it
// carries its JSON names; amounts are minor units of Currency.
type RegistrationRecord struct {
	DealID          string                  `json:"deal_id"`
	ContractHash    string                  `json:"contract_hash"`
	ContractName    string                  `json:"contract_name"`
	ContractNameEN  string                  `json:"contract_name_en"`
	ContractType    string                  `json:"contract_type"`
	ContractTypeZH  string                  `json:"contract_type_zh"`
	Buyer           RegistrationParty       `json:"buyer"`
	Seller          RegistrationParty       `json:"seller"`
	Intermediary    *RegistrationParty      `json:"intermediary,omitempty"`
	SigningDate     string                  `json:"signing_date"` // YYYY-MM-DD in China
	ValidFrom       string                  `json:"valid_from"`
	ValidUntil      string                  `json:"valid_until"`
	Currency        string                  `json:"currency"`
	TotalAmount     int64                   `json:"total_amount"`
	TechnicalIncome int64                   `json:"technical_income"`
	Milestones      []RegistrationMilestone `json:"milestones"`
}

// RegistrationParty is a contract party in a registration record.
type RegistrationParty struct {
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	CreditCode string `json:"credit_code"`
	Region     string `json:"region"`
}

// RegistrationMilestone is one milestone in a registration record.
type RegistrationMilestone struct {
	Title   string `json:"title"`
	Amount  int64  `json:"amount"`
	DueDate string `json:"due_date"`
}

// RegistrationFromDeal builds the registration record of a signed deal. The
// validity runs from the signing date to the last milestone's due date, or to
// the end of a licence's term when that is later.
func RegistrationFromDeal(d Deal) (RegistrationRecord, error) {
	if !slices.Contains(dealSignedStates, d.State) || d.Contract == nil {
		return RegistrationRecord{}, Errorf(ECONFLICT, msgs.DealXXOnlySignedContracts, d.ID, msgs.Term{Kind: "deal.state", Value: d.State})
	}
	c := d.Contract
	t := c.Terms
	signed := d.SignedAt.In(registrationZone)
	until := signed
	r := RegistrationRecord{DealID: d.ID, ContractHash: c.Hash, ContractName: c.NameZH, ContractNameEN: c.NameEN,
		ContractType: t.ContractType, ContractTypeZH: contractLabelsFor(t.ContractType).typeZH,
		Buyer: registrationParty(c.Buyer), Seller: registrationParty(c.Seller),
		SigningDate: signed.Format(time.DateOnly), ValidFrom: signed.Format(time.DateOnly),
		Currency: t.Currency, TotalAmount: t.Price, TechnicalIncome: t.Price - t.NonTechnicalAmount}
	if c.Intermediary != nil {
		p := registrationParty(*c.Intermediary)
		r.Intermediary = &p
	}
	for _, m := range t.Milestones {
		r.Milestones = append(r.Milestones, RegistrationMilestone{Title: m.Title, Amount: m.Amount,
			DueDate: m.Due.UTC().Format(time.DateOnly)})
		if due := offerDate(m.Due); due.After(until) {
			until = due
		}
	}
	if t.Licence != nil {
		if end := signed.AddDate(0, t.Licence.TermMonths, 0); end.After(until) {
			until = end
		}
	}
	r.ValidUntil = until.Format(time.DateOnly)
	return r, nil
}

func registrationParty(p ContractParty) RegistrationParty {
	return RegistrationParty{NameZH: p.NameZH, NameEN: p.NameEN, CreditCode: p.CreditCode, Region: p.Region}
}

// registrationCSVHeader names the CSV columns; amounts are in major units.
var registrationCSVHeader = []string{"deal_id", "contract_name", "contract_name_en", "contract_type",
	"contract_type_zh", "buyer_name", "buyer_credit_code", "buyer_region", "seller_name",
	"seller_credit_code", "seller_region", "intermediary_name", "intermediary_credit_code",
	"signing_date", "valid_from", "valid_until", "currency", "total_amount", "technical_income",
	"milestones", "contract_hash"}

// WriteRegistrationCSV writes one header line and one line per record, UTF-8
// without BOM. Amounts are exact decimals in major units; milestones are one
// cell, "title / amount / due date" joined by "; ". A cell that a spreadsheet
// would run as a formula gets a leading apostrophe.
func WriteRegistrationCSV(w io.Writer, recs []RegistrationRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(registrationCSVHeader); err != nil {
		return err
	}
	for _, r := range recs {
		var im RegistrationParty
		if r.Intermediary != nil {
			im = *r.Intermediary
		}
		ms := make([]string, len(r.Milestones))
		for i, m := range r.Milestones {
			ms[i] = m.Title + " / " + registrationAmount(m.Amount, r.Currency) + " / " + m.DueDate
		}
		row := []string{r.DealID, r.ContractName, r.ContractNameEN, r.ContractType, r.ContractTypeZH,
			contractOrDash(r.Buyer.NameZH, r.Buyer.NameEN), r.Buyer.CreditCode, r.Buyer.Region,
			contractOrDash(r.Seller.NameZH, r.Seller.NameEN), r.Seller.CreditCode, r.Seller.Region,
			registrationName(im), im.CreditCode, r.SigningDate, r.ValidFrom, r.ValidUntil, r.Currency,
			registrationAmount(r.TotalAmount, r.Currency), registrationAmount(r.TechnicalIncome, r.Currency),
			strings.Join(ms, "; "), r.ContractHash}
		for i, cell := range row {
			row[i] = defuseFormula(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func registrationName(p RegistrationParty) string {
	if p.NameZH == "" && p.NameEN == "" {
		return ""
	}
	return contractOrDash(p.NameZH, p.NameEN)
}

// registrationAmount is contractMoneyText without the currency code.
func registrationAmount(minor int64, currency string) string {
	return strings.TrimPrefix(contractMoneyText(minor, currency), currency+" ")
}

// defuseFormula prefixes an apostrophe to cells starting with a character a
// spreadsheet treats as a formula, so an organisation name cannot run code
// on the reviewer's machine.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
