package web

import "strings"

// registrationMessages are the texts of the registration pages: the
// registration form (JJ-001), the registry's desk, the certificate and the
// organisation's registration profile.
var registrationMessages = map[string]msg{
	"nav.registry":                     {"技术合同登记", "Contract registry"},
	"reg.form.title":                   {"技术合同认定登记表", "Technology contract registration form"},
	"reg.form.code":                    {"（参照 JJ-001）", "(after form JJ-001)"},
	"reg.state":                        {"登记状态", "Registration state"},
	"reg.state.":                       {"未提交", "Not submitted"},
	"reg.state.submitted":              {"待登记", "Submitted, awaiting the registry"},
	"reg.state.returned":               {"已退回", "Returned"},
	"reg.state.registered":             {"已登记", "Registered"},
	"reg.number":                       {"合同登记编号", "Registration number"},
	"reg.registered_on":                {"登记日期", "Date of registration"},
	"reg.return_reason":                {"退回理由", "Reason for return"},
	"reg.section.contract":             {"合同基本情况", "The contract"},
	"reg.section.seller":               {"卖方（技术供方）", "Seller (technology provider)"},
	"reg.section.buyer":                {"买方（技术需方）", "Buyer (technology recipient)"},
	"reg.section.intermediary":         {"中介方", "Intermediary"},
	"reg.section.money":                {"成交金额", "Amounts"},
	"reg.contract_name":                {"合同名称", "Contract name"},
	"reg.contract_type":                {"合同类别", "Contract type"},
	"reg.sub_type":                     {"合同类别细分", "Contract sub-type"},
	"reg.tech_field":                   {"技术领域", "Technology field"},
	"reg.ip_type":                      {"知识产权类型", "IP type"},
	"reg.patent_numbers":               {"专利号", "Patent numbers"},
	"reg.socio_economic_goal":          {"社会经济目标", "Socio-economic objective"},
	"reg.signing_date":                 {"签订日期", "Signing date"},
	"reg.signing_place":                {"签订地点", "Place of signing"},
	"reg.valid":                        {"合同有效期", "Validity"},
	"reg.valid_from":                   {"有效期起", "Valid from"},
	"reg.valid_until":                  {"有效期止", "Valid until"},
	"reg.total":                        {"合同成交额", "Contract amount"},
	"reg.technical":                    {"技术交易额", "Technical income"},
	"reg.expected_investment":          {"预计新增投入", "Expected new investment"},
	"reg.expected_output":              {"预计新增产值", "Expected new output"},
	"reg.royalty":                      {"提成比例", "Royalty"},
	"reg.licence":                      {"许可范围", "Licence scope"},
	"reg.fingerprint":                  {"合同文本指纹", "Contract text fingerprint"},
	"reg.party.name":                   {"名称", "Name"},
	"reg.party.credit_code":            {"统一社会信用代码", "Credit code"},
	"reg.party.legal_person_type":      {"法人类型", "Legal-person type"},
	"reg.party.region":                 {"所在地区", "Region"},
	"reg.party.country":                {"国别", "Country"},
	"reg.party.address":                {"通讯地址", "Address"},
	"reg.party.legal_representative":   {"法定代表人", "Legal representative"},
	"reg.party.contact":                {"联系人 / 电话", "Contact / phone"},
	"reg.submit":                       {"提交登记", "Submit for registration"},
	"reg.submit.hint":                  {"提交后由技术合同登记机构审核登记；退回后可修改再提交。", "The registry checks and registers it; a returned contract can be fixed and submitted again."},
	"reg.record":                       {"登记", "Register"},
	"reg.return":                       {"退回", "Return"},
	"reg.certificate":                  {"登记证明", "Registration certificate"},
	"reg.certificate.title":            {"技术合同登记证明", "Technology contract registration certificate"},
	"reg.certificate.text":             {"经审核，下列技术合同已予登记。", "The technology contract below has been registered."},
	"reg.download":                     {"下载", "Download"},
	"notice.reg_submitted":             {"已提交登记。", "Submitted for registration."},
	"notice.reg_returned":              {"已退回当事方。", "Returned to the parties."},
	"notice.reg_registered":            {"已登记。", "Registered."},
	"reg.registry.title":               {"技术合同登记", "Contract registry"},
	"reg.registry.lead":                {"已提交登记的技术合同，按合同由新到旧。", "Contracts submitted for registration, newest first."},
	"reg.registry.none":                {"没有符合条件的合同。", "No contract matches."},
	"reg.registry.next":                {"下一页", "Next page"},
	"reg.filter.from":                  {"签订日期自", "Signed from"},
	"reg.filter.to":                    {"签订日期至", "Signed until"},
	"reg.filter.region":                {"地区代码（前 2/4/6 位）", "Region code (2, 4 or 6 digits)"},
	"reg.filter.any":                   {"全部", "Any"},
	"reg.filter.apply":                 {"筛选", "Filter"},
	"reg.offer.legend":                 {"技术合同登记信息", "Contract registration details"},
	"reg.offer.hint":                   {"签署前必须填写；技术领域、知识产权类型和专利号留空则取自成果。", "Required before signing; leave the technology field, IP type and patents empty to take the listing's."},
	"reg.offer.from_listing":           {"（取自成果）", "(the listing's)"},
	"reg.offer.expected_investment":    {"预计新增投入（技术转让，按报价币种）", "Expected new investment (transfers, in the offer's currency)"},
	"reg.offer.expected_output":        {"预计新增产值（技术转让，按报价币种）", "Expected new output (transfers, in the offer's currency)"},
	"reg.offer.patent_numbers":         {"专利号（以逗号分隔）", "Patent numbers (comma-separated)"},
	"org.profile.heading":              {"技术合同登记信息", "Registration profile"},
	"org.profile.hint":                 {"技术合同登记表要求填写以下各项；签署合同前必须完整。", "The contract registration form asks for these; they must be complete before the organisation signs."},
	"org.profile.address":              {"通讯地址", "Address"},
	"org.profile.legal_representative": {"法定代表人", "Legal representative"},
	"org.profile.contact_person":       {"联系人", "Contact person"},
	"org.profile.contact_phone":        {"联系电话", "Phone"},
	"org.profile.region_code":          {"所在地区（行政区划）", "Region (administrative division)"},
	"org.profile.country":              {"国别（ISO 3166 代码）", "Country (ISO 3166 code)"},
	"org.profile.choose":               {"请选择", "Choose"},
	"org.profile.submit":               {"保存登记信息", "Save registration profile"},
	"notice.org_profile_saved":         {"登记信息已保存。", "Registration profile saved."},
}

// registrationMessagesZH is the Chinese of the market's registration
// field messages; registrationPatternsZH of those that carry values.
var registrationMessagesZH = map[string]string{
	"is required for registration":                                     "技术合同登记必填",
	"must be a telephone number (digits, spaces, + - and brackets)":    "应为电话号码（数字、空格、+ - 和括号）",
	"must be an ISO 3166 country code such as CN":                      "应为 ISO 3166 国家代码，例如 CN",
	"must be a six-digit administrative division code (GB/T 2260)":     "应为 6 位行政区划代码（GB/T 2260）",
	"is only for organisations in China":                               "仅适用于中国境内机构",
	"does not match the licence's exclusivity":                         "与许可范围的独占性不一致",
	"at least one patent number is required for a patent":              "专利须填写至少一个专利号",
	"must not be before valid_from":                                    "不得早于有效期起始日",
	"must be a positive amount in minor units for a transfer contract": "技术转让合同必须填写（大于零）",
	"is only for transfer contracts":                                   "仅技术转让合同填写",
	"is too large":                                                     "数额过大",
	"must be the 16-digit contract registration number":                "应为 16 位合同登记编号",
	"must be a date YYYY-MM-DD":                                        "应为日期，例如 2026-03-10",
	"is already the number of another contract":                        "该编号已用于其他合同",
	"is required: tell the parties what to fix":                        "必填：请说明需要修改的内容",
	"must be a GB/T 2260 code or its first 2 or 4 digits":              "应为行政区划代码或其前 2/4 位",
	"the contract's registration details were never agreed":            "合同未约定登记信息",
	"the registration details (contract sub-type, technology field, term, place of signing …) must be agreed in an offer before signing": "签署前须在报价中约定技术合同登记信息（合同类别细分、技术领域、有效期、签订地点等）",
}

var registrationPatternsZH = []struct{ part, zh string }{
	{"the listing offers", "成果未以此方式提供，请选择成果提供的合同类型"},
	{"must not be after today", "不得晚于今天"},
	{"must not be before the signing date", "不得早于合同签订日期"},
}

// registrationFieldZH is the Chinese of a registration field message.
func registrationFieldZH(text string) (string, bool) {
	if zh, ok := registrationMessagesZH[text]; ok {
		return zh, true
	}
	for _, p := range registrationPatternsZH {
		if strings.Contains(text, p.part) {
			return p.zh, true
		}
	}
	return "", false
}
