package market

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"techbridge/market/sheet"
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

// fullProfile is an organisation profile with every field the form needs.
func fullProfile(region string) OrgProfile {
	return OrgProfile{Address: "上海市杨浦区邯郸路220号", LegalRepresentative: "张三", ContactPerson: "李四",
		ContactPhone: "+86 21 6564 0000", RegionCode: region, Country: "CN"}
}

// fixtureOrgs are the fixture parties' organisations with full profiles.
func fixtureOrgs() map[string]*Organization {
	return map[string]*Organization{
		buyerOrg:  {ID: buyerOrg, Kind: OrgEnterprise, OrgProfile: fullProfile("310115")},
		sellerOrg: {ID: sellerOrg, Kind: OrgUniversity, OrgProfile: fullProfile("310110")},
		brokerOrg: {ID: brokerOrg, Kind: OrgIntermediary, OrgProfile: fullProfile("310115")},
	}
}

func TestRegistrationFromDeal(t *testing.T) {
	d := signedBrokeredLicence(t)
	r, err := RegistrationFromDeal(d, fixtureOrgs())
	if err != nil {
		t.Fatal(err)
	}
	if r.SigningDate != "2026-03-03" {
		t.Fatalf("signing date = %s, want the China date 2026-03-03", r.SigningDate)
	}
	// The agreed term, not one derived from milestones.
	if r.ValidFrom != "2026-03-01" || r.ValidUntil != "2027-03-01" {
		t.Fatalf("valid %s..%s, want the agreed term", r.ValidFrom, r.ValidUntil)
	}
	if r.ContractType != ContractLicence || r.ContractTypeZH != "技术许可合同" || r.TotalAmount != 100000 ||
		r.TechnicalIncome != 100000 || r.Currency != "CNY" || r.ContractHash != d.Contract.Hash {
		t.Fatalf("record = %+v", r)
	}
	if r.SubType != "exclusive" || r.TechField != "new_energy" || r.IPType != IPInventionPatent ||
		len(r.PatentNumbers) != 1 || r.SigningPlace != "上海市杨浦区" || r.SocioEconomicGoal != "energy" {
		t.Fatalf("form answers = %+v", r)
	}
	if r.RoyaltyBPS != 250 || r.Licence == nil || !r.Licence.Exclusive || r.Licence.TermMonths != 36 || r.Licence.FieldOfUse != "新能源汽车电池" {
		t.Fatalf("royalty and licence scope dropped: %d %+v", r.RoyaltyBPS, r.Licence)
	}
	if r.Buyer.CreditCode != "91310000MA1FL0000X" || r.Seller.Region != "上海市 / 杨浦区" ||
		r.Seller.RegionCode != "310110" || r.Seller.RegionName != "上海市 杨浦区" || r.Seller.Kind != OrgUniversity ||
		r.Seller.LegalPersonType != "public_institution" || r.Buyer.LegalPersonType != "enterprise" ||
		r.Buyer.Address == "" || r.Buyer.ContactPhone == "" || r.Buyer.Country != "CN" ||
		r.Intermediary == nil || r.Intermediary.NameZH != "某某技术转移中心" || r.Intermediary.OrgID != brokerOrg {
		t.Fatalf("parties = %+v %+v %+v", r.Buyer, r.Seller, r.Intermediary)
	}
	if len(r.Milestones) != 2 || r.Milestones[1] != (RegistrationMilestone{"验收", 60000, "2026-05-30"}) {
		t.Fatalf("milestones = %+v", r.Milestones)
	}
}

func TestRegistrationTechnicalIncomeAndLegacyValidity(t *testing.T) {
	d := dealIn(t, DealNegotiation)
	terms := devTerms()
	terms.NonTechnicalAmount = 25000 // equipment
	d = apply(t, d, asSeller, ProposeOffer{Terms: terms}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0)
	d = apply(t, d, asBuyer, SignContract{Hash: d.Contract.Hash}, t0)
	d = apply(t, d, asSeller, SignContract{Hash: d.Contract.Hash}, t0)
	// A contract signed before offers carried the form's answers: the
	// validity falls back to the last milestone.
	d.Contract.Terms.Registration = nil
	r, err := RegistrationFromDeal(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.TechnicalIncome != 75000 || r.TotalAmount != 100000 || r.Intermediary != nil {
		t.Fatalf("technical income %d of %d, intermediary %v", r.TechnicalIncome, r.TotalAmount, r.Intermediary)
	}
	if r.ValidUntil != "2026-05-30" {
		t.Fatalf("valid until = %s, want the last milestone's due date", r.ValidUntil)
	}
	if err := registrationGaps(d, fixtureOrgs()); !hasField(err, "registration") {
		t.Fatalf("gaps of a contract without answers = %v", err)
	}
}

func TestRegistrationOnlyForSignedDeals(t *testing.T) {
	for _, state := range []string{DealNegotiation, DealContractDrafted, DealCancelled} {
		if _, err := RegistrationFromDeal(dealIn(t, state), nil); codeOf(err) != ECONFLICT {
			t.Errorf("%s: %v, want conflict", state, err)
		}
	}
	if _, err := RegistrationFromDeal(dealIn(t, DealInProgress), nil); err != nil {
		t.Errorf("in_progress: %v", err)
	}
}

// hasField reports whether err names field.
func hasField(err error, field string) bool {
	e, ok := err.(*Error)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// TestRegistrationGapsNameEveryMissingProfileField: a party whose profile
// lacks what the form needs is named field by field.
func TestRegistrationGapsNameEveryMissingProfileField(t *testing.T) {
	d := signedBrokeredLicence(t)
	orgs := fixtureOrgs()
	if err := registrationGaps(d, orgs); err != nil {
		t.Fatalf("complete deal: %v", err)
	}
	orgs[buyerOrg].OrgProfile = OrgProfile{Country: "CN"}
	orgs[brokerOrg].ContactPhone = "call me"
	err := registrationGaps(d, orgs)
	for _, f := range []string{"buyer.address", "buyer.legal_representative", "buyer.contact_person",
		"buyer.contact_phone", "buyer.region_code", "intermediary.contact_phone"} {
		if !hasField(err, f) {
			t.Errorf("%s not named in %v", f, err)
		}
	}
	if hasField(err, "seller.address") {
		t.Errorf("complete seller named: %v", err)
	}
}

func exportRows(t *testing.T, lang string) (map[string]int, [][]string, []byte) {
	t.Helper()
	r, err := RegistrationFromDeal(signedBrokeredLicence(t), fixtureOrgs())
	if err != nil {
		t.Fatal(err)
	}
	r.State, r.RegistrationNumber, r.RegisteredOn = RegistrationRegistered, "2026310000000042", "2026-03-10"
	evil := r
	evil.Buyer.NameZH = "=HYPERLINK(\"http://x\")"
	evil.Intermediary = nil
	var buf bytes.Buffer
	if err := sheet.WriteCSV(&buf, RegistrationTable([]RegistrationRecord{r, evil}, lang)); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	return col, rows, raw
}

func TestRegistrationCSVChinese(t *testing.T) {
	col, rows, raw := exportRows(t, "zh")
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Fatal("the CSV has no UTF-8 byte-order mark")
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2", len(rows))
	}
	want := map[string]string{
		"合同登记编号":          "2026310000000042",
		"登记日期":            "2026-03-10",
		"合同名称":            "关于“固态电池隔膜”的技术许可合同",
		"合同类别":            "技术许可合同",
		"合同类别细分":          "独占许可",
		"技术领域":            "新能源与高效节能",
		"知识产权类型":          "发明专利",
		"专利号":             "CN114081026A",
		"社会经济目标":          "能源生产、分配和合理利用",
		"买方名称":            "上海某某新能源有限公司",
		"买方统一社会信用代码":      "91310000MA1FL0000X",
		"买方性质":            "企业法人",
		"卖方性质":            "事业法人",
		"卖方所在地区代码":        "310110",
		"卖方所在地区":          "上海市 杨浦区",
		"卖方法定代表人":         "张三",
		"中介方名称":           "某某技术转移中心",
		"签订日期":            "2026-03-03",
		"签订地点":            "上海市杨浦区",
		"有效期止":            "2027-03-01",
		"合同成交额":           "1000.00",
		"技术交易额":           "1000.00",
		"提成比例(%)":         "2.5",
		"许可范围":            "独占 / 中国大陆 / 新能源汽车电池 / 36个月",
		"付款节点":            "样机 / 400.00 / 2026-03-31; 验收 / 600.00 / 2026-05-30",
		"合同文本指纹(SHA-256)": rows[1][col["合同文本指纹(SHA-256)"]],
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
	if len(rows[1][col["合同文本指纹(SHA-256)"]]) != 64 {
		t.Error("no contract fingerprint")
	}
	for _, h := range rows[0] {
		if strings.Contains(h, "摘要") || strings.Contains(h, "_") {
			t.Errorf("heading %q: a summary label or a snake_case name", h)
		}
	}
	if got := rows[2][col["买方名称"]]; !strings.HasPrefix(got, "'=") {
		t.Errorf("formula cell = %q, want it defused", got)
	}
	if got := rows[2][col["中介方名称"]]; got != "" {
		t.Errorf("no intermediary, but 中介方名称 = %q", got)
	}
}

func TestRegistrationCSVEnglish(t *testing.T) {
	col, rows, _ := exportRows(t, "en")
	for name, w := range map[string]string{"Contract type": "Technology licence", "Contract sub-type": "Exclusive licence",
		"Buyer name": "Shanghai Example New Energy Co., Ltd.", "Seller legal-person type": "Public institution",
		"Registration number": "2026310000000042", "Technology field": "New energy and energy efficiency"} {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %q in %v", name, rows[0])
		}
		if rows[1][i] != w {
			t.Errorf("%s = %q, want %q", name, rows[1][i], w)
		}
	}
}

// TestRegistrationXLSXReadBack opens the workbook with excelize: headings,
// text and amounts as numbers.
func TestRegistrationXLSXReadBack(t *testing.T) {
	r, err := RegistrationFromDeal(signedBrokeredLicence(t), fixtureOrgs())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "registrations", RegistrationTable([]RegistrationRecord{r}, "zh")); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("registrations")
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[1][col["合同名称"]] != r.ContractName || rows[1][col["卖方所在地区代码"]] != "310110" {
		t.Fatalf("row %v", rows[1])
	}
	ref, _ := excelize.CoordinatesToCellName(col["合同成交额"]+1, 2)
	if typ, _ := x.GetCellType("registrations", ref); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("amount cell %s is text, want a number", ref)
	}
	if v, _ := x.GetCellValue("registrations", ref); v != "1000" {
		t.Errorf("amount = %q", v)
	}
}
