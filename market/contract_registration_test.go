package market

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

// signedBrokeredLicence is a signed licence deal with a broker; the second
// signature falls at 17:30 UTC, which is already the next day in China.
func signedBrokeredLicence(t *testing.T) Deal {
	t.Helper()
	d := brokeredLicenceDeal(t)
	d = apply(t, d, asSeller, AcceptOffer{Number: 2, Contract: contractIn(true)}, t0)
	d = apply(t, d, asSeller, SignContract{Hash: d.Contract.Hash}, t0)
	return apply(t, d, asBuyer, SignContract{Hash: d.Contract.Hash}, time.Date(2026, 3, 2, 17, 30, 0, 0, time.UTC))
}

func TestRegistrationFromDeal(t *testing.T) {
	d := signedBrokeredLicence(t)
	r, err := RegistrationFromDeal(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.SigningDate != "2026-03-03" || r.ValidFrom != "2026-03-03" {
		t.Fatalf("signing date = %s, want the China date 2026-03-03", r.SigningDate)
	}
	// The 36-month licence outlasts the last milestone (2026-05-30).
	if r.ValidUntil != "2029-03-03" {
		t.Fatalf("valid until = %s", r.ValidUntil)
	}
	if r.ContractType != ContractLicence || r.ContractTypeZH != "技术许可合同" || r.TotalAmount != 100000 ||
		r.TechnicalIncome != 100000 || r.Currency != "CNY" || r.ContractHash != d.Contract.Hash {
		t.Fatalf("record = %+v", r)
	}
	if r.Buyer.CreditCode != "91310000MA1FL0000X" || r.Seller.Region != "上海市 / 杨浦区" ||
		r.Intermediary == nil || r.Intermediary.NameZH != "某某技术转移中心" {
		t.Fatalf("parties = %+v %+v %+v", r.Buyer, r.Seller, r.Intermediary)
	}
	if len(r.Milestones) != 2 || r.Milestones[1] != (RegistrationMilestone{"验收", 60000, "2026-05-30"}) {
		t.Fatalf("milestones = %+v", r.Milestones)
	}
}

func TestRegistrationTechnicalIncomeAndValidity(t *testing.T) {
	d := dealIn(t, DealNegotiation)
	terms := devTerms()
	terms.NonTechnicalAmount = 25000 // equipment
	d = apply(t, d, asSeller, ProposeOffer{Terms: terms}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0)
	d = apply(t, d, asBuyer, SignContract{Hash: d.Contract.Hash}, t0)
	d = apply(t, d, asSeller, SignContract{Hash: d.Contract.Hash}, t0)
	r, err := RegistrationFromDeal(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.TechnicalIncome != 75000 || r.TotalAmount != 100000 || r.Intermediary != nil {
		t.Fatalf("technical income %d of %d, intermediary %v", r.TechnicalIncome, r.TotalAmount, r.Intermediary)
	}
	if r.ValidUntil != "2026-05-30" {
		t.Fatalf("valid until = %s, want the last milestone's due date", r.ValidUntil)
	}
}

func TestRegistrationOnlyForSignedDeals(t *testing.T) {
	for _, state := range []string{DealNegotiation, DealContractDrafted, DealCancelled} {
		if _, err := RegistrationFromDeal(dealIn(t, state)); codeOf(err) != ECONFLICT {
			t.Errorf("%s: %v, want conflict", state, err)
		}
	}
	if _, err := RegistrationFromDeal(dealIn(t, DealInProgress)); err != nil {
		t.Errorf("in_progress: %v", err)
	}
}

func TestWriteRegistrationCSV(t *testing.T) {
	r, err := RegistrationFromDeal(signedBrokeredLicence(t))
	if err != nil {
		t.Fatal(err)
	}
	evil := r
	evil.Buyer.NameZH = "=HYPERLINK(\"http://x\")"
	evil.Intermediary = nil
	var buf bytes.Buffer
	if err := WriteRegistrationCSV(&buf, []RegistrationRecord{r, evil}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := map[string]string{
		"contract_name":            "关于“固态电池隔膜”的技术许可合同",
		"contract_type":            "licence",
		"contract_type_zh":         "技术许可合同",
		"buyer_name":               "上海某某新能源有限公司",
		"buyer_credit_code":        "91310000MA1FL0000X",
		"seller_name":              "某某大学",
		"seller_region":            "上海市 / 杨浦区",
		"intermediary_name":        "某某技术转移中心",
		"intermediary_credit_code": "52310000MJ0000000X",
		"signing_date":             "2026-03-03",
		"valid_until":              "2029-03-03",
		"currency":                 "CNY",
		"total_amount":             "1000.00",
		"technical_income":         "1000.00",
		"milestones":               "样机 / 400.00 / 2026-03-31; 验收 / 600.00 / 2026-05-30",
		"contract_hash":            r.ContractHash,
	}
	for name, w := range want {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %s in %v", name, rows[0])
		}
		if rows[1][i] != w {
			t.Errorf("%s = %q, want %q", name, rows[1][i], w)
		}
	}
	if got := rows[2][col["buyer_name"]]; !strings.HasPrefix(got, "'=") {
		t.Errorf("formula cell = %q, want it defused", got)
	}
	if got := rows[2][col["intermediary_name"]]; got != "" {
		t.Errorf("no intermediary, but intermediary_name = %q", got)
	}
}
