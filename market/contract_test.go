package market

import (
	"strings"
	"testing"
	"time"
)

// brokeredLicenceDeal is a deal with an active broker and the buyer's licence
// offer 2 open, ready for the seller to accept.
func brokeredLicenceDeal(t *testing.T) Deal {
	t.Helper()
	d := withBroker(t, dealIn(t, DealNegotiation))
	return apply(t, d, asBuyer, ProposeOffer{Terms: licenceTerms()}, t0)
}

func draft(t *testing.T, d Deal, in ContractInput, now time.Time) Contract {
	t.Helper()
	c, err := DraftContract(d, *d.LatestOffer(), in, now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContractDeterministic(t *testing.T) {
	d := brokeredLicenceDeal(t)
	a := draft(t, d, contractIn(true), t0)
	b := draft(t, d.clone(), contractIn(true), t0.Add(5*time.Hour))
	if a.Document != b.Document || a.Hash != b.Hash {
		t.Fatal("the same terms drafted at another time gave another document")
	}
	if len(a.Hash) != 64 || ContractHash(a.Document) != a.Hash || !a.Verify() {
		t.Fatalf("hash %q does not verify", a.Hash)
	}
}

func TestContractHashCoversEveryField(t *testing.T) {
	d := brokeredLicenceDeal(t)
	base := draft(t, d, contractIn(true), t0).Hash
	edits := map[string]func(*Deal, *ContractInput){
		"deal id":           func(d *Deal, _ *ContractInput) { d.ID = "other" },
		"offer number":      func(d *Deal, _ *ContractInput) { d.LatestOffer().Number = 9 },
		"subject":           func(_ *Deal, in *ContractInput) { in.Subject += "2" },
		"buyer name zh":     func(_ *Deal, in *ContractInput) { in.Buyer.NameZH += "分公司" },
		"buyer name en":     func(_ *Deal, in *ContractInput) { in.Buyer.NameEN += " Branch" },
		"buyer credit code": func(_ *Deal, in *ContractInput) { in.Buyer.CreditCode = "91310000MA1FL0001X" },
		"seller region":     func(_ *Deal, in *ContractInput) { in.Seller.Region = "北京市" },
		"intermediary name": func(_ *Deal, in *ContractInput) { in.Intermediary.NameZH = "另一中心" },
		"fee bps":           func(d *Deal, _ *ContractInput) { d.Intermediary.Fee.BPS = 301 },
		"fee payer":         func(d *Deal, _ *ContractInput) { d.Intermediary.Fee.Payer = FeePayerBuyer },
		"contract type":     func(d *Deal, _ *ContractInput) { d.LatestOffer().Terms.ContractType = ContractTransfer },
		"currency":          func(d *Deal, _ *ContractInput) { d.LatestOffer().Terms.Currency = "USD" },
		"platform fee":      func(_ *Deal, in *ContractInput) { in.PlatformBPS = 201 },
		"price and milestones": func(d *Deal, _ *ContractInput) {
			editTerms(d, func(o *OfferTerms) { o.Price++; o.Milestones[1].Amount++ })
		},
		"milestone title": func(d *Deal, _ *ContractInput) {
			editTerms(d, func(o *OfferTerms) { o.Milestones[0].Title = "样品" })
		},
		"milestone deliverable": func(d *Deal, _ *ContractInput) {
			editTerms(d, func(o *OfferTerms) { o.Milestones[0].Deliverable += "." })
		},
		"milestone due":        func(d *Deal, _ *ContractInput) { editTerms(d, func(o *OfferTerms) { o.Milestones[1].Due = day(91) }) },
		"non-technical amount": func(d *Deal, _ *ContractInput) { d.LatestOffer().Terms.NonTechnicalAmount = 1 },
		"royalty":              func(d *Deal, _ *ContractInput) { d.LatestOffer().Terms.RoyaltyBPS = 0 },
		"exclusivity":          func(d *Deal, _ *ContractInput) { editLicence(d, func(l *LicenceScope) { l.Exclusive = false }) },
		"territory":            func(d *Deal, _ *ContractInput) { editLicence(d, func(l *LicenceScope) { l.Territory = "全球" }) },
		"field of use":         func(d *Deal, _ *ContractInput) { editLicence(d, func(l *LicenceScope) { l.FieldOfUse += "及储能" }) },
		"term":                 func(d *Deal, _ *ContractInput) { editLicence(d, func(l *LicenceScope) { l.TermMonths = 37 }) },
	}
	for name, edit := range edits {
		dd, in := d.clone(), contractIn(true)
		edit(&dd, &in)
		if dd.Intermediary != nil && dd.Intermediary.OrgID != in.Intermediary.OrgID {
			t.Fatalf("%s: bad fixture", name)
		}
		c, err := DraftContract(dd, *dd.LatestOffer(), in, t0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Hash == base {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}

// editTerms and editLicence change the latest offer's terms without touching
// the slices and pointers the original deal shares.
func editTerms(d *Deal, f func(*OfferTerms)) {
	o := d.LatestOffer()
	o.Terms.Milestones = append([]MilestoneTerms(nil), o.Terms.Milestones...)
	f(&o.Terms)
}

func editLicence(d *Deal, f func(*LicenceScope)) {
	o := d.LatestOffer()
	l := *o.Terms.Licence
	f(&l)
	o.Terms.Licence = &l
}

func TestContractDocumentContent(t *testing.T) {
	d := brokeredLicenceDeal(t)
	in := contractIn(true)
	in.PlatformBPS = 200
	c := draft(t, d, in, t0)
	for _, want := range []string{
		"format: techbridge-contract/2\n", "currency: CNY\n", "platform_bps: 200\n",
		"\n[zh]\n", "\n[en]\n",
		"合同名称: \"关于“固态电池隔膜”的技术许可合同\"\n",
		"contract name: \"Technology Licence Contract: 固态电池隔膜\"\n",
		"许可人名称: \"某某大学\"\n", "Licensor name: \"Example University\"\n",
		"被许可人统一社会信用代码: \"91310000MA1FL0000X\"\n",
		"居间费: 合同总金额的3.00% (300个基点)，由买卖双方各半支付\n",
		"intermediary fee: 3.00% (300 bps) of the total amount, paid by buyer and seller in equal halves\n",
		"合同总金额: ¥1,000.00\n", "technical income: CNY 1,000.00\n",
		"平台服务费: 每期款项的2.00% (200个基点)，由卖方承担\n",
		"platform fee: 2.00% (200 bps) of each milestone payment, borne by the seller\n",
		"条款1: \"许可人保证其有权许可实施所许可的技术", "clause 5: \"The intermediary reports",
		"提成费率: 2.50% (250个基点)\n", "许可方式: 独占许可\n", "term (months): 36\n",
		"里程碑2金额: ¥600.00\n", "milestone 2 amount: CNY 600.00\n", "milestone 2 due date: 2026-05-30\n",
	} {
		if !strings.Contains(c.Document, want) {
			t.Errorf("document lacks %q", want)
		}
	}
}

// Free text is quoted, so a name cannot forge a line of the contract.
func TestContractTextCannotForgeLines(t *testing.T) {
	d := brokeredLicenceDeal(t)
	in := contractIn(true)
	in.Seller.NameZH = "某某大学\"\n合同总金额: ¥1.00\n"
	c := draft(t, d, in, t0)
	if strings.Count(c.Document, "\n合同总金额: ") != 1 {
		t.Fatalf("an injected line appeared:\n%s", c.Document)
	}
}

func TestContractVerifyDetectsTampering(t *testing.T) {
	c := draft(t, brokeredLicenceDeal(t), contractIn(true), t0)
	c.Terms.Price = 1
	if c.Verify() {
		t.Fatal("a contract whose fields changed after drafting verifies")
	}
}

func TestDraftContractIntermediaryMustMatch(t *testing.T) {
	d := brokeredLicenceDeal(t)
	if _, err := DraftContract(d, *d.LatestOffer(), contractIn(false), t0); !Fields(err.(*Error).Fields).Has("intermediary") {
		t.Fatalf("missing intermediary: %v", err)
	}
	plain := dealIn(t, DealNegotiation)
	if _, err := DraftContract(plain, *plain.LatestOffer(), contractIn(true), t0); !Fields(err.(*Error).Fields).Has("intermediary") {
		t.Fatalf("unexpected intermediary: %v", err)
	}
}

func TestMoneyText(t *testing.T) {
	for _, tt := range []struct {
		minor int64
		cur   string
		want  string
	}{{100000, "CNY", "CNY 1000.00"}, {5, "CNY", "CNY 0.05"}, {0, "USD", "USD 0.00"},
		{1500, "JPY", "JPY 1500"}, {1234, "KWD", "KWD 1.234"}, {-250, "CNY", "CNY -2.50"}} {
		if got := contractMoneyText(tt.minor, tt.cur); got != tt.want {
			t.Errorf("contractMoneyText(%d, %s) = %q, want %q", tt.minor, tt.cur, got, tt.want)
		}
	}
}

// TestContractFormatsRenderByVersion: a /1 contract is rendered by /1's
// frozen code (its own exponents, no platform fee or clauses), a /2 one by
// the ledger's table; each verifies only in its own format.
func TestContractFormatsRenderByVersion(t *testing.T) {
	c := draft(t, brokeredLicenceDeal(t), contractIn(true), t0)
	v1 := c
	v1.Format, v1.PlatformBPS = ContractFormat1, nil
	v1.Document = v1.Canonical()
	v1.Hash = ContractHash(v1.Document)
	if !strings.HasPrefix(v1.Document, "format: techbridge-contract/1\n") || !strings.Contains(v1.Document, "合同总金额: CNY 1000.00\n") ||
		strings.Contains(v1.Document, "条款") || !v1.Verify() {
		t.Fatalf("/1 rendering:\n%s", v1.Document)
	}
	if !c.Verify() || c.Hash == v1.Hash {
		t.Fatal("a /2 contract must verify and differ from its /1 rendering")
	}
	swapped := v1
	swapped.Format = ContractFormat2
	if swapped.Verify() {
		t.Fatal("a /1 document verified as /2")
	}
}

// TestContractClausesPerType: every contract type has its own standard
// clauses in both languages, the intermediary's only when one is named.
func TestContractClausesPerType(t *testing.T) {
	seen := map[string]bool{}
	for _, typ := range ContractTypes {
		plain, brokered := ContractClauses(typ, false), ContractClauses(typ, true)
		if len(brokered) != len(plain)+1 || len(contractTypeClauses[typ]) < 2 {
			t.Errorf("%s: %d clauses, %d with a broker", typ, len(plain), len(brokered))
		}
		for _, cl := range brokered {
			if cl.ZH == "" || cl.EN == "" {
				t.Errorf("%s: a clause lacks a language: %+v", typ, cl)
			}
		}
		first := contractTypeClauses[typ][0].EN
		if seen[first] {
			t.Errorf("%s shares its first clause with another type", typ)
		}
		seen[first] = true
	}
}
