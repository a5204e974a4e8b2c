package market

import (
	"strconv"
	"strings"

	"techbridge/market/ledger"
	"techbridge/market/sheet"
)

// ContractTypeLabels names the five contract types as the form does.
var ContractTypeLabels = []RegistrationCode{
	{ContractDevelopment, "技术开发合同", "Technology development"},
	{ContractTransfer, "技术转让合同", "Technology transfer"},
	{ContractLicence, "技术许可合同", "Technology licence"},
	{ContractConsulting, "技术咨询合同", "Technology consulting"},
	{ContractService, "技术服务合同", "Technology service"},
}

// RegistrationStateLabels names the registration states.
var RegistrationStateLabels = []RegistrationCode{
	{"", "未提交", "Not submitted"},
	{RegistrationSubmitted, "待登记", "Submitted"},
	{RegistrationReturned, "已退回", "Returned"},
	{RegistrationRegistered, "已登记", "Registered"},
}

// Label is the entry's name in lang ("zh" or "en"), or the code itself
// when list has no such entry.
func Label(list []RegistrationCode, code, lang string) string {
	c, ok := CodeIn(list, code)
	switch {
	case !ok:
		return code
	case lang == "en":
		return c.NameEN
	}
	return c.NameZH
}

// registrationColumn is one column of the export: its heading in both
// languages and its cell of a record.
type registrationColumn struct {
	zh, en string
	amount bool
	cell   func(r *RegistrationRecord, lang string) string
}

func partyColumns(zh, en string, p func(r *RegistrationRecord) *RegistrationParty) []registrationColumn {
	get := func(f func(p *RegistrationParty, lang string) string) func(r *RegistrationRecord, lang string) string {
		return func(r *RegistrationRecord, lang string) string {
			if x := p(r); x != nil {
				return f(x, lang)
			}
			return ""
		}
	}
	return []registrationColumn{
		{zh: zh + "名称", en: en + " name", cell: get(func(p *RegistrationParty, lang string) string {
			if lang == "en" && p.NameEN != "" || p.NameZH == "" {
				return p.NameEN
			}
			return p.NameZH
		})},
		{zh: zh + "统一社会信用代码", en: en + " credit code", cell: get(func(p *RegistrationParty, _ string) string { return p.CreditCode })},
		{zh: zh + "性质", en: en + " legal-person type", cell: get(func(p *RegistrationParty, lang string) string {
			return Label(LegalPersonTypes, p.LegalPersonType, lang)
		})},
		{zh: zh + "所在地区代码", en: en + " region code", cell: get(func(p *RegistrationParty, _ string) string { return p.RegionCode })},
		{zh: zh + "所在地区", en: en + " region", cell: get(func(p *RegistrationParty, _ string) string { return p.RegionName })},
		{zh: zh + "国别", en: en + " country", cell: get(func(p *RegistrationParty, _ string) string { return p.Country })},
		{zh: zh + "通讯地址", en: en + " address", cell: get(func(p *RegistrationParty, _ string) string { return p.Address })},
		{zh: zh + "法定代表人", en: en + " legal representative", cell: get(func(p *RegistrationParty, _ string) string { return p.LegalRepresentative })},
		{zh: zh + "联系人", en: en + " contact person", cell: get(func(p *RegistrationParty, _ string) string { return p.ContactPerson })},
		{zh: zh + "联系电话", en: en + " phone", cell: get(func(p *RegistrationParty, _ string) string { return p.ContactPhone })},
	}
}

// registrationColumns follow the order of form JJ-001.
var registrationColumns = func() []registrationColumn {
	text := func(f func(r *RegistrationRecord) string) func(*RegistrationRecord, string) string {
		return func(r *RegistrationRecord, _ string) string { return f(r) }
	}
	label := func(list []RegistrationCode, f func(r *RegistrationRecord) string) func(*RegistrationRecord, string) string {
		return func(r *RegistrationRecord, lang string) string { return Label(list, f(r), lang) }
	}
	money := func(f func(r *RegistrationRecord) int64) func(*RegistrationRecord, string) string {
		return func(r *RegistrationRecord, _ string) string { return ledger.Major(f(r), r.Currency) }
	}
	cols := []registrationColumn{
		{zh: "平台交易编号", en: "Platform deal ID", cell: text(func(r *RegistrationRecord) string { return r.DealID })},
		{zh: "合同登记编号", en: "Registration number", cell: text(func(r *RegistrationRecord) string { return r.RegistrationNumber })},
		{zh: "登记日期", en: "Registered on", cell: text(func(r *RegistrationRecord) string { return r.RegisteredOn })},
		{zh: "登记状态", en: "State", cell: label(RegistrationStateLabels, func(r *RegistrationRecord) string { return r.State })},
		{zh: "合同名称", en: "Contract name", cell: func(r *RegistrationRecord, lang string) string {
			if lang == "en" {
				return r.ContractNameEN
			}
			return r.ContractName
		}},
		{zh: "合同类别", en: "Contract type", cell: label(ContractTypeLabels, func(r *RegistrationRecord) string { return r.ContractType })},
		{zh: "合同类别细分", en: "Contract sub-type", cell: func(r *RegistrationRecord, lang string) string {
			return Label(ContractSubTypes[r.ContractType], r.SubType, lang)
		}},
		{zh: "技术领域", en: "Technology field", cell: label(RegistrationTechFields, func(r *RegistrationRecord) string { return r.TechField })},
		{zh: "知识产权类型", en: "IP type", cell: label(RegistrationIPTypes, func(r *RegistrationRecord) string { return r.IPType })},
		{zh: "专利号", en: "Patent numbers", cell: text(func(r *RegistrationRecord) string { return strings.Join(r.PatentNumbers, "; ") })},
		{zh: "社会经济目标", en: "Socio-economic objective", cell: label(SocioEconomicGoals, func(r *RegistrationRecord) string { return r.SocioEconomicGoal })},
	}
	cols = append(cols, partyColumns("卖方", "Seller", func(r *RegistrationRecord) *RegistrationParty { return &r.Seller })...)
	cols = append(cols, partyColumns("买方", "Buyer", func(r *RegistrationRecord) *RegistrationParty { return &r.Buyer })...)
	cols = append(cols, partyColumns("中介方", "Intermediary", func(r *RegistrationRecord) *RegistrationParty { return r.Intermediary })[:2]...)
	return append(cols, []registrationColumn{
		{zh: "签订日期", en: "Signing date", cell: text(func(r *RegistrationRecord) string { return r.SigningDate })},
		{zh: "签订地点", en: "Place of signing", cell: text(func(r *RegistrationRecord) string { return r.SigningPlace })},
		{zh: "有效期起", en: "Valid from", cell: text(func(r *RegistrationRecord) string { return r.ValidFrom })},
		{zh: "有效期止", en: "Valid until", cell: text(func(r *RegistrationRecord) string { return r.ValidUntil })},
		{zh: "币种", en: "Currency", cell: text(func(r *RegistrationRecord) string { return r.Currency })},
		{zh: "合同成交额", en: "Contract amount", amount: true, cell: money(func(r *RegistrationRecord) int64 { return r.TotalAmount })},
		{zh: "技术交易额", en: "Technical income", amount: true, cell: money(func(r *RegistrationRecord) int64 { return r.TechnicalIncome })},
		{zh: "预计新增投入", en: "Expected new investment", amount: true, cell: money(func(r *RegistrationRecord) int64 { return r.ExpectedInvestment })},
		{zh: "预计新增产值", en: "Expected new output", amount: true, cell: money(func(r *RegistrationRecord) int64 { return r.ExpectedOutput })},
		{zh: "提成比例(%)", en: "Royalty (%)", amount: true, cell: text(func(r *RegistrationRecord) string {
			return strconv.FormatFloat(float64(r.RoyaltyBPS)/100, 'f', -1, 64)
		})},
		{zh: "许可范围", en: "Licence scope", cell: func(r *RegistrationRecord, lang string) string { return r.Licence.Text(lang) }},
		{zh: "付款节点", en: "Milestones", cell: text(func(r *RegistrationRecord) string {
			ms := make([]string, len(r.Milestones))
			for i, m := range r.Milestones {
				ms[i] = m.Title + " / " + ledger.Major(m.Amount, r.Currency) + " / " + m.DueDate
			}
			return strings.Join(ms, "; ")
		})},
		{zh: "合同文本指纹(SHA-256)", en: "Contract text fingerprint (SHA-256)", cell: text(func(r *RegistrationRecord) string { return r.ContractHash })},
	}...)
}()

// Text is the licence's scope in one line in lang; "" for no licence.
func (l *RegistrationLicence) Text(lang string) string {
	if l == nil {
		return ""
	}
	kind, months := "普通", "个月"
	if l.Exclusive {
		kind = "独占"
	}
	if lang == "en" {
		kind, months = "non-exclusive", " months"
		if l.Exclusive {
			kind = "exclusive"
		}
	}
	return kind + " / " + l.Territory + " / " + l.FieldOfUse + " / " + strconv.Itoa(l.TermMonths) + months
}

// RegistrationTable is the records as a table with headings in lang ("zh"
// or "en"): the rows of the CSV and XLSX exports. Amounts are decimals in
// major units of each record's currency.
func RegistrationTable(recs []RegistrationRecord, lang string) sheet.Table {
	t := sheet.Table{Rows: make([][]string, 0, len(recs))}
	for _, c := range registrationColumns {
		h := c.zh
		if lang == "en" {
			h = c.en
		}
		t.Header = append(t.Header, h)
		t.Numeric = append(t.Numeric, c.amount)
	}
	for i := range recs {
		row := make([]string, len(registrationColumns))
		for j, c := range registrationColumns {
			row[j] = c.cell(&recs[i], lang)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
