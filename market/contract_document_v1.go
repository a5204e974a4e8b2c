package market

import (
	"fmt"
	"strconv"
	"strings"
)

// The renderer of format /1, frozen: documents signed in it are verified by
// rendering them again, byte for byte. Its own currency exponent list is
// kept on purpose (it differs from the ledger's table for PYG and LYD), and
// canonicalV2 repeats this layout rather than sharing helpers with it: a
// helper edited for /2 would silently change the bytes /1 signatures cover.

// canonicalV1 renders the contract in format /1: one "key: value"
// per line, a Chinese and an English section, every free text quoted with
// strconv.Quote so no input can forge a line. The output depends only on the
// contract's fields (not on DraftedAt, maps or locale), so the same terms and
// parties always give the same bytes and hash.
func (c Contract) canonicalV1() string {
	var b strings.Builder
	w := func(key, value string) { b.WriteString(key + ": " + value + "\n") }
	q := strconv.Quote
	w("format", ContractFormat1)
	w("deal_id", q(c.DealID))
	w("offer", strconv.Itoa(c.OfferNumber))
	w("contract_type", c.Terms.ContractType)
	for _, lang := range []string{"zh", "en"} {
		b.WriteString("\n[" + lang + "]\n")
		c.renderSectionV1(&b, lang)
	}
	return b.String()
}

// renderSectionV1 writes one language's section; pick chooses the label.
func (c Contract) renderSectionV1(b *strings.Builder, lang string) {
	zh := lang == "zh"
	pick := func(zhText, enText string) string {
		if zh {
			return zhText
		}
		return enText
	}
	w := func(keyZH, keyEN, value string) { b.WriteString(pick(keyZH, keyEN) + ": " + value + "\n") }
	q := strconv.Quote
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
			w("居间费", "intermediary fee", feeText(*c.IntermediaryFee, t.Currency, zh))
		}
	}
	w("合同总金额", "total amount", contractMoneyText(t.Price, t.Currency))
	w("技术性收入", "technical income", contractMoneyText(t.Price-t.NonTechnicalAmount, t.Currency))
	w("非技术性费用", "non-technical amount", contractMoneyText(t.NonTechnicalAmount, t.Currency))
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
		w("里程碑"+n+"金额", "milestone "+n+" amount", contractMoneyText(m.Amount, t.Currency))
		w("里程碑"+n+"到期日", "milestone "+n+" due date", m.Due.UTC().Format("2006-01-02"))
	}
}

// feeText describes an intermediary fee in one language.
func feeText(f FeeTerms, currency string, zh bool) string {
	payerZH := map[string]string{FeePayerBuyer: "买方", FeePayerSeller: "卖方", FeePayerSplit: "买卖双方各半"}[f.Payer]
	if f.Basis == FeeBasisFixed {
		if zh {
			return contractMoneyText(f.Fixed, currency) + "，由" + payerZH + "支付"
		}
		return contractMoneyText(f.Fixed, currency) + ", paid by " + payerEN(f.Payer)
	}
	if zh {
		return "合同总金额的" + bpsText(f.BPS, zh) + "，由" + payerZH + "支付"
	}
	return bpsText(f.BPS, zh) + " of the total amount, paid by " + payerEN(f.Payer)
}

func payerEN(p string) string {
	if p == FeePayerSplit {
		return "buyer and seller in equal halves"
	}
	return "the " + p
}

// bpsText renders basis points exactly, e.g. 250 as "2.50% (250 bps)".
func bpsText(bps int64, zh bool) string {
	unit := " bps"
	if zh {
		unit = "个基点"
	}
	return fmt.Sprintf("%d.%02d%% (%d%s)", bps/100, bps%100, bps, unit)
}

// contractCurrencyExponents lists currencies whose minor unit is not a hundredth.
var contractCurrencyExponents = map[string]int{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// contractMoneyText renders minor units exactly in major units, e.g. 1234567 CNY as
// "CNY 12345.67"; integer arithmetic only.
func contractMoneyText(minor int64, currency string) string {
	exp, ok := contractCurrencyExponents[currency]
	if !ok {
		exp = 2
	}
	return currency + " " + contractDecimal(minor, exp)
}

// contractDecimal writes minor with exp decimal places.
func contractDecimal(minor int64, exp int) string {
	s := strconv.FormatInt(minor, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if exp > 0 {
		for len(s) <= exp {
			s = "0" + s
		}
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
