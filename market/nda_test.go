package market

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestNewNDA(t *testing.T) {
	text := "甲乙双方同意对技术秘密保密。\nThe parties keep the know-how secret."
	n, err := NewNDA(sellerOrg, 3, text, t0)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(text))
	if n.Hash != hex.EncodeToString(sum[:]) || n.Version != 3 || n.OwnerOrgID != sellerOrg {
		t.Fatalf("nda = %+v", n)
	}
	if NDAHash(text+" ") == n.Hash {
		t.Fatal("a changed text kept the hash")
	}
	for _, bad := range []struct {
		owner, text string
		version     int
		field       string
	}{{"", text, 1, "owner_org_id"}, {sellerOrg, text, 0, "version"}, {sellerOrg, " \n", 1, "text"}} {
		if _, err := NewNDA(bad.owner, bad.version, bad.text, t0); !Fields(err.(*Error).Fields).Has(bad.field) {
			t.Errorf("NewNDA(%q, %d, %q) = %v, want field %s", bad.owner, bad.version, bad.text, err, bad.field)
		}
	}
}

func TestNDAGating(t *testing.T) {
	d := dealIn(t, DealNDA)
	broker := withBroker(t, d)
	before := map[string]bool{}
	for _, a := range []DealActor{asBuyer, asSeller, asAdmin, asStranger} {
		before[a.Role] = d.ConfidentialVisibleTo(a)
	}
	want := map[string]bool{DealRoleBuyer: false, DealRoleSeller: true, DealRoleAdmin: true, DealRoleOther: false}
	for role, w := range want {
		if before[role] != w {
			t.Errorf("before acceptance, %s sees details = %v, want %v", role, before[role], w)
		}
	}
	if broker.ConfidentialVisibleTo(asBroker) {
		t.Error("an intermediary sees confidential details without an NDA")
	}

	d = apply(t, d, asBuyer, AcceptNDA{Hash: d.NDA.Hash}, t0)
	if !d.ConfidentialVisibleTo(asBuyer) {
		t.Fatal("buyer does not see details after accepting the NDA")
	}
	acc := d.NDAAcceptance
	if acc.AccountID != asBuyer.AccountID || acc.OrgID != buyerOrg || acc.NDAHash != d.NDA.Hash ||
		acc.NDAVersion != 2 || !acc.AcceptedAt.Equal(t0) {
		t.Fatalf("acceptance = %+v", acc)
	}
	if d.ConfidentialVisibleTo(asStranger) {
		t.Fatal("a stranger sees details after the buyer accepted")
	}

	// An acceptance of another version does not count.
	stale := d
	nda := *d.NDA
	nda.Version, nda.Text = 3, nda.Text+" (rev)"
	nda.Hash = NDAHash(nda.Text)
	stale.NDA = &nda
	if stale.ConfidentialVisibleTo(asBuyer) {
		t.Fatal("an acceptance of version 2 opened version 3")
	}
}

func TestNDAAcceptedEarlySkipsNDAState(t *testing.T) {
	d := openDealT(t, true)
	if d.ConfidentialVisibleTo(asBuyer) {
		t.Fatal("details visible before any acceptance")
	}
	d = apply(t, d, asBuyer, AcceptNDA{Hash: d.NDA.Hash}, t0)
	if d.State != DealInquiry {
		t.Fatalf("state = %s, want inquiry until the seller answers", d.State)
	}
	d = apply(t, d, asSeller, AcceptInquiry{}, t0)
	if d.State != DealNegotiation {
		t.Fatalf("state = %s, want negotiation: the NDA is already accepted", d.State)
	}
}

func TestPublicOutcomeNeedsNoNDA(t *testing.T) {
	d := dealIn(t, DealInquiry)
	if !d.ConfidentialVisibleTo(asBuyer) {
		t.Fatal("buyer cannot see a public outcome's details")
	}
	if d.ConfidentialVisibleTo(asStranger) {
		t.Fatal("a stranger sees a deal it is not part of")
	}
}
