package market

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market/ledger"
)

// RegistrationCode is one entry of a list the registration form (JJ-001)
// chooses from, with its Chinese and English names.
type RegistrationCode struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// ContractSubTypes are the sub-types of each contract type the form asks
// for (合同类别的细分). Codes are stable: they are stored with offers.
var ContractSubTypes = map[string][]RegistrationCode{
	ContractDevelopment: {{"commissioned", "委托开发", "Commissioned development"}, {"cooperative", "合作开发", "Cooperative development"}},
	ContractTransfer: {{"patent_right", "专利权转让", "Patent assignment"}, {"patent_application", "专利申请权转让", "Patent application assignment"},
		{"know_how", "技术秘密转让", "Know-how transfer"}, {"software_copyright", "计算机软件著作权转让", "Software copyright assignment"},
		{"ic_layout", "集成电路布图设计专有权转让", "IC layout-design assignment"}, {"plant_variety", "植物新品种权转让", "Plant variety right assignment"},
		{"other", "其他技术转让", "Other transfer"}},
	ContractLicence: {{"exclusive", "独占许可", "Exclusive licence"}, {"sole", "排他许可", "Sole licence"},
		{"non_exclusive", "普通许可", "Non-exclusive licence"}},
	ContractConsulting: {{"feasibility", "可行性论证", "Feasibility study"}, {"forecast", "技术预测", "Technology forecast"},
		{"investigation", "专题技术调查", "Technical investigation"}, {"evaluation", "分析评价报告", "Analysis and evaluation"}},
	ContractService: {{"general", "一般技术服务", "Technical service"}, {"training", "技术培训", "Technical training"},
		{"intermediation", "技术中介", "Technology intermediation"}},
}

// RegistrationTechFields is the form's technology-field list (技术领域).
var RegistrationTechFields = []RegistrationCode{
	{"electronic_information", "电子信息", "Electronic information"},
	{"advanced_manufacturing", "先进制造", "Advanced manufacturing"},
	{"aerospace", "航空航天", "Aerospace"},
	{"modern_transport", "现代交通", "Modern transport"},
	{"biomedicine", "生物、医药和医疗器械", "Biology, medicine and medical devices"},
	{"new_materials", "新材料及其应用", "New materials"},
	{"new_energy", "新能源与高效节能", "New energy and energy efficiency"},
	{"environment", "环境保护与资源综合利用", "Environmental protection and resource use"},
	{"nuclear", "核应用", "Nuclear applications"},
	{"agriculture", "农业", "Agriculture"},
	{"urban_social", "城市建设与社会发展", "Urban construction and social development"},
}

// registrationFieldOf maps the listing taxonomy (TechFields) to the form's
// technology field; a listing field not named here has no default.
var registrationFieldOf = map[string]string{
	"ai": "electronic_information", "software": "electronic_information", "ic": "electronic_information",
	"electronics": "electronic_information", "optics": "electronic_information", "quantum": "electronic_information",
	"fintech": "electronic_information", "culture_tech": "electronic_information",
	"robotics": "advanced_manufacturing", "equipment": "advanced_manufacturing", "textiles": "advanced_manufacturing",
	"aerospace": "aerospace", "automotive": "modern_transport",
	"new_energy": "new_energy", "energy_storage": "new_energy", "power_grid": "new_energy",
	"new_materials": "new_materials", "chemicals": "new_materials",
	"biomedicine": "biomedicine", "medical_devices": "biomedicine", "tcm": "biomedicine", "digital_health": "biomedicine",
	"agriculture": "agriculture", "food": "agriculture",
	"environment": "environment", "water": "environment", "mining": "environment",
	"construction": "urban_social", "marine": "urban_social", "safety": "urban_social",
}

// RegistrationFieldFor is the form's technology field for a listing field,
// "" when there is no obvious one.
func RegistrationFieldFor(listingField string) string { return registrationFieldOf[listingField] }

// RegistrationIPTypes is the form's IP-type list (知识产权类型); the
// listing's IP types are a subset with the same codes.
var RegistrationIPTypes = []RegistrationCode{
	{IPInventionPatent, "发明专利", "Invention patent"},
	{IPUtilityModel, "实用新型专利", "Utility model"},
	{"design_patent", "外观设计专利", "Design patent"},
	{IPSoftwareCopyright, "计算机软件著作权", "Software copyright"},
	{"ic_layout", "集成电路布图设计", "IC layout design"},
	{"plant_variety", "植物新品种", "Plant variety"},
	{IPKnowHow, "技术秘密", "Know-how"},
	{IPOther, "其他知识产权", "Other IP"},
	{"none", "未涉及知识产权", "No IP involved"},
}

// SocioEconomicGoals is the form's list of socio-economic objectives (社会经济目标).
var SocioEconomicGoals = []RegistrationCode{
	{"environment", "环境保护、生态建设及污染防治", "Environment and pollution control"},
	{"energy", "能源生产、分配和合理利用", "Energy"},
	{"health", "卫生事业发展", "Health"},
	{"education", "教育事业发展", "Education"},
	{"infrastructure", "基础设施以及城市和农村规划", "Infrastructure and planning"},
	{"social", "社会发展和社会服务", "Social development and services"},
	{"earth", "地球和大气层的探索与利用", "Earth and atmosphere"},
	{"space", "民用空间探测及开发", "Civil space"},
	{"agriculture", "农林牧渔业发展", "Agriculture, forestry and fishery"},
	{"industry", "促进工业发展", "Industrial development"},
	{"non_oriented", "非定向研究", "Non-oriented research"},
	{"other_civil", "其他民用目标", "Other civil objectives"},
	{"defence", "国防", "Defence"},
}

// CodeIn returns the entry of list with code.
func CodeIn(list []RegistrationCode, code string) (RegistrationCode, bool) {
	i := slices.IndexFunc(list, func(c RegistrationCode) bool { return c.Code == code })
	if i < 0 {
		return RegistrationCode{}, false
	}
	return list[i], true
}

func codesOf(list []RegistrationCode) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}

// PatentIPTypes are the IP types whose registration names the patents.
var PatentIPTypes = []string{IPInventionPatent, IPUtilityModel, "design_patent"}

// RegistrationTerms are the offer's answers to the registration form
// beyond the commercial terms: agreed with the terms, kept in the
// registration record, not part of the signed document.
type RegistrationTerms struct {
	SubType           string
	TechField         string // RegistrationTechFields code
	IPType            string // RegistrationIPTypes code
	PatentNumbers     []string
	ValidFrom         time.Time // the agreed term, dates (midnight UTC)
	ValidUntil        time.Time
	SigningPlace      string
	SocioEconomicGoal string
	// ExpectedInvestment and ExpectedOutput (预计新增投入/产值) are minor
	// units of the offer's currency; required for transfers, 0 otherwise.
	ExpectedInvestment int64
	ExpectedOutput     int64
}

func (r *RegistrationTerms) normalize() {
	r.SubType, r.TechField, r.IPType = strings.TrimSpace(r.SubType), strings.TrimSpace(r.TechField), strings.TrimSpace(r.IPType)
	r.SigningPlace, r.SocioEconomicGoal = strings.TrimSpace(r.SigningPlace), strings.TrimSpace(r.SocioEconomicGoal)
	r.PatentNumbers = normalizeList(r.PatentNumbers)
	if !r.ValidFrom.IsZero() {
		r.ValidFrom = offerDate(r.ValidFrom)
	}
	if !r.ValidUntil.IsZero() {
		r.ValidUntil = offerDate(r.ValidUntil)
	}
}

// validate names every field the form requires and r lacks or gets wrong,
// under "registration.".
func (r RegistrationTerms) validate(f *Fields, t OfferTerms) {
	const p = "registration."
	subs := ContractSubTypes[t.ContractType]
	if _, ok := CodeIn(subs, r.SubType); !ok {
		f.Add(p+"sub_type", msgs.SubTypeOneOfXForY, codesOf(subs), t.ContractType)
	} else if t.Licence != nil && (r.SubType == "exclusive") != t.Licence.Exclusive && r.SubType != "sole" {
		f.Add(p+"sub_type", msgs.SubTypeNotLicenceExclusivity)
	}
	if _, ok := CodeIn(RegistrationTechFields, r.TechField); !ok {
		f.Add(p+"tech_field", msgs.OneOf, codesOf(RegistrationTechFields))
	}
	if _, ok := CodeIn(RegistrationIPTypes, r.IPType); !ok {
		f.Add(p+"ip_type", msgs.OneOf, codesOf(RegistrationIPTypes))
	}
	if slices.Contains(PatentIPTypes, r.IPType) && len(r.PatentNumbers) == 0 {
		f.Add(p+"patent_numbers", msgs.PatentNumberRequired)
	}
	checkPatentNumbers(f, p+"patent_numbers", r.PatentNumbers)
	switch {
	case r.ValidFrom.IsZero():
		f.Add(p+"valid_from", msgs.Required)
	case r.ValidUntil.IsZero():
		f.Add(p+"valid_until", msgs.Required)
	case r.ValidUntil.Before(r.ValidFrom):
		f.Add(p+"valid_until", msgs.NotBeforeValidFrom)
	}
	if r.SigningPlace == "" {
		f.Add(p+"signing_place", msgs.Required)
	}
	checkLen(f, p+"signing_place", r.SigningPlace, 100)
	if _, ok := CodeIn(SocioEconomicGoals, r.SocioEconomicGoal); !ok {
		f.Add(p+"socio_economic_goal", msgs.OneOf, codesOf(SocioEconomicGoals))
	}
	for _, m := range []struct {
		field string
		v     int64
	}{{"expected_investment", r.ExpectedInvestment}, {"expected_output", r.ExpectedOutput}} {
		switch {
		case t.ContractType == ContractTransfer && m.v <= 0:
			f.Add(p+m.field, msgs.PositiveForTransfer)
		case t.ContractType != ContractTransfer && m.v != 0:
			f.Add(p+m.field, msgs.OnlyForTransfer)
		case m.v > ledger.MaxAmount:
			f.Add(p+m.field, msgs.TooLarge)
		}
	}
}

// ListingContractTypes are the contract types an outcome offered under
// modes may be signed as; nil when the listing names no modes (anything
// may be negotiated). Equity contributions of technology are registered
// as transfers.
func ListingContractTypes(modes []string) []string {
	if len(modes) == 0 {
		return nil
	}
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, m := range modes {
		switch m {
		case TransferAssignment, TransferEquity:
			add(ContractTransfer)
		case TransferExclusiveLicence, TransferNonExclusive:
			add(ContractLicence)
		case TransferJointDevelopment:
			add(ContractDevelopment)
		}
	}
	return out
}

// CheckListingContractType refuses a contract type the listing does not
// offer (modes as the outcome states them).
func CheckListingContractType(contractType string, modes []string) error {
	allowed := ListingContractTypes(modes)
	if allowed == nil || slices.Contains(allowed, contractType) {
		return nil
	}
	return Invalid("contract_type", msgs.ListingOffersXOnly, strings.Join(allowed, ", "))
}

// checkPatentNumbers names a list of more than 50 numbers or the first one
// that is not a patent or registration number.
func checkPatentNumbers(f *Fields, field string, numbers []string) {
	if len(numbers) > 50 {
		f.Add(field, msgs.AtMost50Numbers)
	}
	for _, p := range numbers {
		if len(p) < 4 || len(p) > 40 || strings.IndexFunc(p, patentNumberChars) >= 0 {
			f.Add(field, msgs.XNotPatentOrRegistrationNumber, p)
			break
		}
	}
}
