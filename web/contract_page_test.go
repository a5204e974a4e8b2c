package web

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"techbridge/market"
)

// TestContractPageReadsAsAContract is issue 15's page problem 7: the
// printable contract reads as a contract, not a key:value dump. In each
// language it names the parties by their contract roles with credit codes
// and addresses, the subject, the price and the payment schedule in the
// page's one money format, the intermediary and its fee, the platform fee
// the contract fixed, the standard clauses of a development contract, and
// the signatures with their times in China's time zone; the hash appears
// only as the text's labelled short fingerprint.
func TestContractPageReadsAsAContract(t *testing.T) {
	ps := newPaySite(t)
	path := "/deals/" + ps.dealID + "/contract"
	dv, err := ps.svc.Deal(context.Background(), ps.actor("buyer@e.cn"), ps.dealID)
	if err != nil {
		t.Fatal(err)
	}
	c := dv.Deal.Contract
	signedAt := cst(dv.Deal.SignatureOf("seller").SignedAt)
	zh := ps.buyer.get(path)
	for _, want := range []string{
		`<h1 class="contract-title">关于“高效钙钛矿电池”的技术开发合同</h1>`,
		"<h2>一、合同当事人</h2>", "<h2>四、居间方及居间费</h2>", "<h2>六、签署</h2>", "<h3>委托方</h3>", "<h3>研究开发人</h3>", "<h3>居间方</h3>", c.Buyer.CreditCode, c.Seller.CreditCode,
		`<strong class="subject">高效钙钛矿电池</strong>`,
		`class="contract-total">¥1,000.00`, "<td>样机</td>", "¥400.00", "¥600.00",
		`class="contract-fee">合同总金额的5.00% (500个基点)，由买卖双方各半支付`,
		`class="contract-platform-fee">每期款项的2.00% (200个基点)，由卖方承担`,
		"研究开发人按约定的计划和里程碑完成研究开发工作", "居间方如实报告订立合同的机会",
		"签署于 " + signedAt + ` <span class="tz">（北京时间）</span>`,
	} {
		if !zh.has(want) {
			t.Errorf("the Chinese contract lacks %q", want)
		}
	}
	if !zh.has(`<p class="contract-alt">Technology Development Contract: 高效钙钛矿电池</p>`) {
		t.Error("the contract's English name is not under its Chinese one")
	}
	// The hash only as the labelled short fingerprint (the full one in its
	// title, for checking a printout), never as text.
	body := regexp.MustCompile(`(?s)<details class="no-print contract-canonical">.*?</details>`).ReplaceAllString(zh.body, "")
	if strings.Contains(body, ">"+c.Hash+"<") || strings.Contains(body, "SHA-256") ||
		!strings.Contains(body, `合同文本指纹： <code class="hash contract-hash" title="`+c.Hash+`">`+fingerprint(c.Hash)+`</code>`) {
		t.Error("the hash is shown raw, or the fingerprint is not labelled")
	}
	if strings.Contains(body, "deal_id: ") || strings.Contains(body, "里程碑1金额:") {
		t.Error("the page dumps the canonical key:value lines outside the canonical text")
	}

	en := ps.buyer.get("/lang/en?next=" + path)
	for _, want := range []string{"<h2>1. The parties</h2>", "<h2>5. Terms agreed</h2>", "<h3>Client</h3>", "<h3>Developer</h3>", `class="contract-total">CNY 1,000.00`,
		"The developer carries out the research and development", "(China time, UTC&#43;8)",
		"5.00% (500 bps) of the total amount, paid by buyer and seller in equal halves"} {
		if !en.has(want) {
			t.Errorf("the English contract lacks %q", want)
		}
	}
	if p := ps.stranger.get(path); p.status != 404 {
		t.Fatalf("a stranger reads the contract: %d", p.status)
	}
}

// TestContractPageOfAFormat1Contract: a contract signed in format /1 shows
// no clauses (its text had none) and no platform fee it never stated,
// numbers its sections without them, and still offers its own canonical
// text.
func TestContractPageOfAFormat1Contract(t *testing.T) {
	ps := newPaySite(t)
	ctx := context.Background()
	err := ps.svc.Store.Update(ctx, func(tx market.Tx) error {
		d, err := tx.DealByID(ps.dealID)
		if err != nil {
			return err
		}
		c := *d.Contract
		c.Format, c.PlatformBPS = market.ContractFormat1, nil
		c.Document = c.Canonical()
		c.Hash = market.ContractHash(c.Document)
		d.Contract = &c
		d.Version++
		return tx.UpdateDeal(d)
	})
	if err != nil {
		t.Fatal(err)
	}
	p := ps.buyer.get("/deals/" + ps.dealID + "/contract")
	if p.status != 200 || p.has("contract-clauses") || p.has("contract-platform-fee") || !p.has("<h2>五、签署</h2>") ||
		!p.has("format: techbridge-contract/1") || !p.has(`data-format="techbridge-contract/1"`) {
		t.Fatalf("a /1 contract's page: %d\n%s", p.status, p.body)
	}
}
