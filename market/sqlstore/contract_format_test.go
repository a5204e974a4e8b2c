package sqlstore_test

import (
	"context"
	_ "embed"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// contractV1PYG is a contract column as the code before format /2 stored
// it: a PYG licence with a fixed broker fee (no fee currency), its
// document rendered by that code ("PYG 25000.00": /1's own exponent list
// gave PYG two decimals, the ledger's table gives none) and its hash.
//
//go:embed testdata/contract_v1_pyg.json
var contractV1PYG string

// TestStoredV1ContractStillVerifies: a /1 document stored before format /2
// is read back as /1 and its hash still verifies, although /2 would print
// its amounts differently; a contract drafted now is /2, records the
// platform fee and verifies after a round trip too.
func TestStoredV1ContractStillVerifies(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&d) }); err != nil {
			t.Fatal(err)
		}
		d = step(t, db, d, w.seller, market.AcceptInquiry{}, t0)
		d = step(t, db, d, w.buyer, market.AcceptNDA{Hash: w.nda.Hash}, t0)
		d = step(t, db, d, w.seller, market.ProposeOffer{Terms: storeTerms(), PlatformBPS: 250}, t0)
		in := market.ContractInput{Subject: w.outcome.Title, Buyer: party(w.buyer.OrgID), Seller: party(w.seller.OrgID)}
		d = step(t, db, d, w.buyer, market.AcceptOffer{Number: 1, Contract: in, PlatformBPS: 250}, t0)
		got := loadDeal(t, db, d.ID).Contract
		if got.Format != market.ContractFormat2 || got.PlatformBPS == nil || *got.PlatformBPS != 250 || !got.Verify() {
			t.Fatalf("a new contract: format %q, platform fee %v, verifies %v", got.Format, got.PlatformBPS, got.Verify())
		}
		if !strings.Contains(got.Document, "platform_bps: 250\n") || !strings.Contains(got.Document, "合同总金额: ¥300,000.00\n") {
			t.Fatalf("a /2 document:\n%s", got.Document)
		}

		// The stored /1 contract, as written before /2, under this deal.
		if _, err := db.DB().ExecContext(context.Background(), `UPDATE deals SET contract = $1 WHERE id = $2`,
			strings.TrimSpace(contractV1PYG), d.ID); err != nil {
			t.Fatal(err)
		}
		old := loadDeal(t, db, d.ID).Contract
		if old.Format != market.ContractFormat1 || old.PlatformBPS != nil {
			t.Fatalf("the stored contract reads as format %q, platform fee %v", old.Format, old.PlatformBPS)
		}
		if old.Hash != "8c752820241ec635557a05f30d29372ba47280db1ca6863833d3c3a6b4054bd1" || !old.Verify() {
			t.Fatalf("the stored /1 document no longer verifies: hash %s\n%s\nrendered now:\n%s", old.Hash, old.Document, old.Canonical())
		}
		if !strings.Contains(old.Document, "合同总金额: PYG 25000.00\n") {
			t.Fatal("the fixture is not the /1 rendering it claims to be")
		}
		if f := old.IntermediaryFee; f == nil || f.Currency != "CNY" {
			t.Fatalf("a stored fixed fee without currency reads as %+v, want CNY (the unit the pages typed it in)", f)
		}
		// Rendered as /2 the same fields give another text: the version is
		// what keeps the stored hash true.
		v2 := *old
		v2.Format = market.ContractFormat2
		if v2.Canonical() == old.Document {
			t.Fatal("/2 renders the PYG contract like /1; the test shows nothing")
		}
	})
}
