package market

import (
	"strconv"
	"strings"

	"techbridge/market/ledger"
)

// canonicalV2 renders the contract in format /2: the layout of /1 (one
// "key: value" per line, a Chinese and an English section, free text
// quoted with strconv.Quote so no input can forge a line), with amounts
// printed by ledger.Format in each section's language, the currency of a
// fixed broker fee, the platform fee the deal pays, and the standard
// clauses of the contract type. The output depends only on the contract's
// fields (not on DraftedAt, maps or locale).
func (c Contract) canonicalV2() string {
	var b strings.Builder
	w := func(key, value string) { b.WriteString(key + ": " + value + "\n") }
	q := strconv.Quote
	w("format", ContractFormat2)
	w("deal_id", q(c.DealID))
	w("offer", strconv.Itoa(c.OfferNumber))
	w("contract_type", c.Terms.ContractType)
	w("currency", c.Terms.Currency)
	if c.PlatformBPS != nil {
		w("platform_bps", strconv.FormatInt(*c.PlatformBPS, 10))
	}
	for _, lang := range []string{ledger.LangZH, ledger.LangEN} {
		b.WriteString("\n[" + lang + "]\n")
		c.renderSectionV2(&b, lang)
	}
	return b.String()
}

// renderSectionV2 writes one language's section of a /2 document.
func (c Contract) renderSectionV2(b *strings.Builder, lang string) {
	zh := lang == ledger.LangZH
	pick := func(zhText, enText string) string {
		if zh {
			return zhText
		}
		return enText
	}
	w := func(keyZH, keyEN, value string) { b.WriteString(pick(keyZH, keyEN) + ": " + value + "\n") }
	q := strconv.Quote
	money := func(minor int64) string { return ledger.Format(minor, c.Terms.Currency, lang) }
	l := contractLabelsFor(c.Terms.ContractType)
	t := c.Terms

	w("合同名称", "contract name", q(pick(c.NameZH, c.NameEN)))
	w("合同类型", "contract type", q(pick(l.typeZH, l.typeEN)))
	w("标的", "subject", q(c.Subject))
	party := func(roleZH, roleEN string, p ContractParty) {
		w(roleZH+"名称", roleEN+" name", q(pick(contractOrDash(p.NameZH, p.NameEN), contractOrDash(p.NameEN, p.NameZH))))
		w(roleZH+"统一社会信用代码", roleEN+" unified social credit code", q(p.CreditCode))
		w(roleZH+"所在地区", roleEN+" region", q(p.Region))
	}
	party(l.buyerZH, l.buyerEN, c.Buyer)
	party(l.sellerZH, l.sellerEN, c.Seller)
	if c.Intermediary != nil {
		party("居间方", "intermediary", *c.Intermediary)
		if c.IntermediaryFee != nil {
			w("居间费", "intermediary fee", FeeText(*c.IntermediaryFee, lang))
		}
	}
	if c.PlatformBPS != nil {
		w("平台服务费", "platform fee", PlatformFeeText(*c.PlatformBPS, lang))
	}
	w("合同总金额", "total amount", money(t.Price))
	w("技术性收入", "technical income", money(t.Price-t.NonTechnicalAmount))
	w("非技术性费用", "non-technical amount", money(t.NonTechnicalAmount))
	if t.RoyaltyBPS > 0 {
		w("提成费率", "royalty rate", bpsText(t.RoyaltyBPS, zh))
	}
	if lc := t.Licence; lc != nil {
		w("许可方式", "licence kind", pick(map[bool]string{true: "独占许可", false: "非独占许可"}[lc.Exclusive],
			map[bool]string{true: "exclusive", false: "non-exclusive"}[lc.Exclusive]))
		w("许可地域", "territory", q(lc.Territory))
		w("许可领域", "field of use", q(lc.FieldOfUse))
		w("许可期限（月）", "term (months)", strconv.Itoa(lc.TermMonths))
	}
	for i, m := range t.Milestones {
		n := strconv.Itoa(i + 1)
		w("里程碑"+n+"名称", "milestone "+n+" title", q(m.Title))
		w("里程碑"+n+"交付物", "milestone "+n+" deliverable", q(m.Deliverable))
		w("里程碑"+n+"金额", "milestone "+n+" amount", money(m.Amount))
		w("里程碑"+n+"到期日", "milestone "+n+" due date", m.Due.UTC().Format("2006-01-02"))
	}
	for i, cl := range ContractClauses(t.ContractType, c.Intermediary != nil) {
		n := strconv.Itoa(i + 1)
		w("条款"+n, "clause "+n, q(pick(cl.ZH, cl.EN)))
	}
}

// FeeText describes an intermediary fee in lang as format /2 and the
// contract page print it: a fixed fee in its own currency by ledger.Format,
// a share in exact basis points, and who pays it.
func FeeText(f FeeTerms, lang string) string {
	zh := lang == ledger.LangZH
	payerZH := map[string]string{FeePayerBuyer: "买方", FeePayerSeller: "卖方", FeePayerSplit: "买卖双方各半"}[f.Payer]
	if f.Basis == FeeBasisFixed {
		amount := ledger.Format(f.Fixed, f.Currency, lang)
		if zh {
			return amount + "，由" + payerZH + "支付"
		}
		return amount + ", paid by " + payerEN(f.Payer)
	}
	if zh {
		return "合同总金额的" + bpsText(f.BPS, zh) + "，由" + payerZH + "支付"
	}
	return bpsText(f.BPS, zh) + " of the total amount, paid by " + payerEN(f.Payer)
}

// PlatformFeeText describes the platform fee in lang: a share of each
// milestone payment, borne by the seller (ledger.Split).
func PlatformFeeText(bps int64, lang string) string {
	if lang == ledger.LangZH {
		return "每期款项的" + bpsText(bps, true) + "，由卖方承担"
	}
	return bpsText(bps, false) + " of each milestone payment, borne by the seller"
}
