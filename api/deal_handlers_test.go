package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// worldOn is newWorld over a given store, so deal tests also run on PostgreSQL.
func worldOn(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	store := kv.NewMemory()
	srv, err := New(Config{}, svc, &auth.Tokens{Key: auth.GenerateKey(), KV: store}, store, svc.Log)
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, srv: srv, svc: svc, db: db, kv: store}
	w := &world{e: e}
	_, w.member = e.user("member@a.example.cn")
	_, w.other = e.user("other@b.example.cn")
	w.admin = e.admin()
	w.orgA = e.org(w.member.AccessToken, "university")
	w.orgB = e.org(w.other.AccessToken, "enterprise")
	return w
}

func (w *world) dealURL(suffix string) string {
	return "/api/v1/deals/" + w.dealFixture().deal.ID + suffix
}

// TestBadOffersAreRefusedByField sends offers the domain must refuse and
// checks each answer is problem+json naming the culprit field, with
// nothing recorded.
func TestBadOffersAreRefusedByField(t *testing.T) {
	w := newWorld(t)
	url := w.dealURL("/offers")
	cases := []struct {
		name  string
		edit  func(o *offerRequest)
		field string
	}{
		{"negative price", func(o *offerRequest) { o.Price = -100000 }, "price"},
		{"negative milestone amount", func(o *offerRequest) { o.Milestones[0].Amount = -40000; o.Milestones[1].Amount = 140000 }, "milestones[0].amount"},
		{"milestones not summing", func(o *offerRequest) { o.Milestones[1].Amount = 50000 }, "milestones"},
		{"unknown contract type", func(o *offerRequest) { o.ContractType = "leasing" }, "contract_type"},
		{"due date in the past", func(o *offerRequest) { o.Milestones[1].DueDate = "2020-01-01" }, "milestones[1].due_date"},
		{"malformed due date", func(o *offerRequest) { o.Milestones[0].DueDate = "next week" }, "milestones[0].due_date"},
		{"no milestones", func(o *offerRequest) { o.Milestones = nil }, "milestones"},
		{"licence terms on a development contract", func(o *offerRequest) {
			o.Licence = &licenceBody{Territory: "中国", FieldOfUse: "储能", TermMonths: 12}
		}, "licence"},
		{"bad currency", func(o *offerRequest) { o.Currency = "yuan" }, "currency"},
	}
	before := w.e.eventCount()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := validOffer()
			c.edit(&o)
			p := w.e.expect(w.e.do("POST", url, w.other.AccessToken, o), 400).problem()
			named := false
			for _, fe := range p.Errors {
				named = named || fe.Field == c.field
			}
			if p.Code != market.EINVALID || !named {
				t.Fatalf("problem %+v does not name %s", p, c.field)
			}
		})
	}
	// An unknown field in the body is named too.
	p := w.e.expect(w.e.do("POST", url, w.other.AccessToken, `{"contract_type":"development","discount":5}`), 400).problem()
	if len(p.Errors) != 1 || p.Errors[0].Field != "discount" {
		t.Fatalf("unknown field problem %+v", p)
	}
	if w.e.eventCount() != before {
		t.Fatal("a refused offer changed the event log")
	}
}

// TestNDAGatesConfidentialDetails shows a confidential outcome's details
// hidden from a buyer before it accepts the NDA, shown after, and to that
// buyer only: not to another buyer, not to the intermediary.
func TestNDAGatesConfidentialDetails(t *testing.T) {
	w := newWorld(t)
	f := w.dealFixture() // orgB accepted the NDA in this deal
	e := w.e
	secret := "保密工艺参数 secret recipe"
	listing := func(token, dealID string) dealListingResponse {
		var l dealListingResponse
		e.expect(e.do("GET", "/api/v1/deals/"+dealID+"/listing", token, nil), 200).json(&l)
		return l
	}
	// A second buyer opens its own deal; before the NDA it sees the teaser.
	var d2 dealResponse
	e.expect(e.do("POST", "/api/v1/deals", f.stranger.AccessToken, openDealRequest{OutcomeID: f.outcomeID, Message: "请介绍"}), 201).json(&d2)
	e.expect(e.do("POST", "/api/v1/deals/"+d2.ID+"/accept", w.member.AccessToken, nil), 200).json(&d2)
	if d2.State != market.DealNDA || d2.NDA == nil || d2.NDA.Hash != market.NDAHash("保密协议 / NDA") {
		t.Fatalf("accepted inquiry on a confidential outcome: state %s, nda %+v", d2.State, d2.NDA)
	}
	if l := listing(f.stranger.AccessToken, d2.ID); l.Full || l.Outcome["description"] != "" || l.Outcome["title"] != "固态电池隔膜" {
		t.Fatalf("before the NDA the buyer sees %+v", l)
	}
	// Offers wait for the NDA.
	e.expect(e.do("POST", "/api/v1/deals/"+d2.ID+"/offers", f.stranger.AccessToken, validOffer()), 409)
	// The same outcome through the listings read path: still the teaser.
	strangerActor := e.actorOf("stranger@s.example.cn")
	if o, err := e.svc.Outcome(context.Background(), strangerActor, f.outcomeID); err != nil || o.Description != "" {
		t.Fatalf("outcome before the NDA: %+v, %v", o, err)
	}
	// A stale NDA hash is refused; the shown one is recorded with account and time.
	e.expect(e.do("POST", "/api/v1/deals/"+d2.ID+"/nda", f.stranger.AccessToken, hashRequest{Hash: market.NDAHash("other text")}), 409)
	e.expect(e.do("POST", "/api/v1/deals/"+d2.ID+"/nda", f.stranger.AccessToken, hashRequest{Hash: d2.NDA.Hash}), 200).json(&d2)
	if a := d2.NDAAcceptance; a == nil || a.AccountID != strangerActor.AccountID || a.NDAHash != d2.NDA.Hash || a.AcceptedAt.IsZero() || d2.State != market.DealNegotiation {
		t.Fatalf("acceptance %+v, state %s", d2.NDAAcceptance, d2.State)
	}
	if l := listing(f.stranger.AccessToken, d2.ID); !l.Full || l.Outcome["description"] != secret {
		t.Fatalf("after the NDA the buyer sees %+v", l)
	}
	if o, err := e.svc.Outcome(context.Background(), strangerActor, f.outcomeID); err != nil || o.Description != secret {
		t.Fatalf("outcome after the NDA: %+v, %v", o, err)
	}
	// Others: the intermediary accepted no NDA; an enterprise with no deal
	// sees nothing of the deal and only the teaser of the outcome.
	if l := listing(f.broker.AccessToken, f.deal.ID); l.Full || l.Outcome["description"] != "" {
		t.Fatalf("the intermediary sees %+v", l)
	}
	_, late := e.user("late@c.example.cn")
	e.org(late.AccessToken, "enterprise")
	e.expect(e.do("GET", "/api/v1/deals/"+d2.ID+"/listing", late.AccessToken, nil), 404)
	if o, err := e.svc.Outcome(context.Background(), e.actorOf("late@c.example.cn"), f.outcomeID); err != nil || o.Description != "" {
		t.Fatalf("outcome for an enterprise without NDA: %+v, %v", o, err)
	}
	if l := listing(w.member.AccessToken, d2.ID); !l.Full {
		t.Fatal("the seller does not see its own details")
	}
}

// TestNegotiationToSignatures runs counter-offer, accept, a stale signature
// and both signatures; signing creates the milestones and the registration.
func TestNegotiationToSignatures(t *testing.T) {
	w := newWorld(t)
	f := w.dealFixture()
	e := w.e
	url := w.dealURL("")
	var d dealResponse
	// fresh clears d before each decode: absent (omitempty) fields must not
	// keep their previous values.
	fresh := func() *dealResponse { d = dealResponse{}; return &d }
	// The buyer counters; the intermediary posts; the seller accepts.
	counter := validOffer()
	counter.Price, counter.Milestones[1].Amount = 90000, 50000
	e.expect(e.do("POST", url+"/offers", w.other.AccessToken, counter), 200).json(fresh())
	if len(d.Offers) != 2 || d.Offers[0].Status != market.OfferCountered || d.Offers[1].Status != market.OfferOpen {
		t.Fatalf("after the counter-offer: %+v", d.Offers)
	}
	e.expect(e.do("POST", url+"/messages", f.broker.AccessToken, messageRequest{Body: "  双方价格接近，建议接受  "}), 200).json(fresh())
	if last := d.Messages[len(d.Messages)-1]; last.Body != "双方价格接近，建议接受" || last.Role != market.DealRoleIntermediary {
		t.Fatalf("last message %+v", last)
	}
	e.expect(e.do("POST", url+"/offers/1/accept", w.other.AccessToken, nil), 409) // replaced
	e.expect(e.do("POST", url+"/offers/2/accept", w.member.AccessToken, nil), 200).json(fresh())
	if d.State != market.DealContractDrafted || d.Contract == nil || market.ContractHash(d.Contract.Document) != d.Contract.Hash {
		t.Fatalf("after accept: state %s contract %+v", d.State, d.Contract)
	}
	if !strings.Contains(d.Contract.Document, "居间方") || !strings.Contains(d.Contract.Document, "CNY 900.00") {
		t.Fatalf("contract lacks the intermediary or the price:\n%s", d.Contract.Document)
	}
	oldHash := d.Contract.Hash
	// The intermediary never signs.
	e.expect(e.do("POST", url+"/contract/signatures", f.broker.AccessToken, hashRequest{Hash: oldHash}), 403)
	e.expect(e.do("POST", url+"/contract/signatures", w.other.AccessToken, hashRequest{Hash: oldHash}), 200).json(fresh())
	if len(d.Signatures) != 1 || d.State != market.DealContractDrafted {
		t.Fatalf("after the first signature: %+v", d)
	}
	// A change before the second signature voids the first.
	changed := counter
	changed.Milestones[0].Title = "样机（含测试报告）"
	e.expect(e.do("POST", url+"/offers", w.member.AccessToken, changed), 200).json(fresh())
	if d.State != market.DealNegotiation || d.Contract != nil || len(d.Signatures) != 0 || d.Offers[1].Status != market.OfferVoided {
		t.Fatalf("after a change: state %s contract %v signatures %v offers %+v", d.State, d.Contract, d.Signatures, d.Offers)
	}
	e.expect(e.do("POST", url+"/offers/3/accept", w.other.AccessToken, nil), 200).json(fresh())
	if d.Contract.Hash == oldHash {
		t.Fatal("a changed contract kept its hash")
	}
	// Signing the hash that was shown before the change is refused.
	p := e.expect(e.do("POST", url+"/contract/signatures", w.member.AccessToken, hashRequest{Hash: oldHash}), 409).problem()
	if p.Code != market.ECONFLICT {
		t.Fatalf("stale signature: %+v", p)
	}
	var text string
	res := e.expect(e.do("GET", url+"/contract?format=text", w.member.AccessToken, nil), 200)
	text = res.Body.String()
	if market.ContractHash(text) != d.Contract.Hash || res.Header().Get("X-Contract-SHA256") != d.Contract.Hash {
		t.Fatal("the text form is not the hashed document")
	}
	e.expect(e.do("GET", url+"/milestones", w.member.AccessToken, nil), 200)
	e.expect(e.do("POST", url+"/contract/signatures", w.member.AccessToken, hashRequest{Hash: d.Contract.Hash}), 200)
	e.expect(e.do("POST", url+"/contract/signatures", w.other.AccessToken, hashRequest{Hash: d.Contract.Hash}), 200).json(fresh())
	if d.State != market.DealSigned || d.SignedAt == nil || len(d.Signatures) != 2 {
		t.Fatalf("after both signatures: %+v", d)
	}
	// Signed is final: no more offers.
	e.expect(e.do("POST", url+"/offers", w.member.AccessToken, validOffer()), 409)

	var ms listResponse[milestoneResponse]
	e.expect(e.do("GET", url+"/milestones", f.broker.AccessToken, nil), 200).json(&ms)
	var sum int64
	for _, m := range ms.Items {
		sum += m.Amount
	}
	if len(ms.Items) != 2 || sum != 90000 || ms.Items[0].State != market.MilestonePending || ms.Items[0].Title != "样机（含测试报告）" || ms.Items[1].Version != 1 {
		t.Fatalf("milestones %+v", ms.Items)
	}
	var reg market.RegistrationRecord
	e.expect(e.do("GET", url+"/registration", w.other.AccessToken, nil), 200).json(&reg)
	if reg.ContractHash != d.Contract.Hash || reg.TotalAmount != 90000 || reg.Intermediary == nil {
		t.Fatalf("registration %+v", reg)
	}
	res = e.expect(e.do("GET", url+"/registration?format=csv", w.other.AccessToken, nil), 200)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != d.ID {
		t.Fatalf("registration CSV %v, %v", rows, err)
	}
	// The registry's export lists what was submitted, newest first.
	var all listResponse[market.RegistrationRecord]
	e.expect(e.do("GET", "/api/v1/registrations", w.admin.AccessToken, nil), 200).json(&all)
	if len(all.Items) != 0 {
		t.Fatalf("unsubmitted contracts in the export: %+v", all.Items)
	}
	e.expect(e.do("POST", url+"/registration/submission", w.other.AccessToken, nil), 200)
	e.expect(e.do("GET", "/api/v1/registrations", w.admin.AccessToken, nil), 200).json(&all)
	if len(all.Items) != 1 || all.Items[0].DealID != d.ID {
		t.Fatalf("admin export %+v", all.Items)
	}
	// The intermediary's list shows the agreed fee on the signed value: 3% of 900.00.
	var mine listResponse[intermediaryDealResponse]
	e.expect(e.do("GET", "/api/v1/organizations/"+f.brokerOrg.ID+"/intermediary-deals", f.broker.AccessToken, nil), 200).json(&mine)
	if len(mine.Items) != 1 || mine.Items[0].FeeEstimate != 2700 || !mine.Items[0].FeeFinal || mine.Items[0].Intermediary.Fee.BPS != 300 {
		t.Fatalf("intermediary deals %+v", mine.Items)
	}
}

// TestDealVisibilityAndNotifications: strangers get 404, every step
// notifies the other side, and only the recipient may mark a notice read.
func TestDealVisibilityAndNotifications(t *testing.T) {
	w := newWorld(t)
	f := w.dealFixture()
	e := w.e
	e.expect(e.do("GET", w.dealURL(""), f.stranger.AccessToken, nil), 404).problem()
	e.expect(e.do("POST", w.dealURL("/messages"), f.stranger.AccessToken, messageRequest{Body: "hi"}), 404)
	var d dealResponse
	e.expect(e.do("GET", w.dealURL(""), w.admin.AccessToken, nil), 200).json(&d)
	if d.Role != market.DealRoleAdmin || len(d.Messages) != 1 || d.Messages[0].Body != "想了解授权条件" {
		t.Fatalf("admin view: role %s messages %+v", d.Role, d.Messages)
	}
	// The buyer may not withdraw the seller's offer.
	e.expect(e.do("POST", w.dealURL("/offers/1/withdraw"), w.other.AccessToken, nil), 403)

	unread := func(token string) []notificationResponse {
		var ns listResponse[notificationResponse]
		e.expect(e.do("GET", "/api/v1/notifications?unread=true", token, nil), 200).json(&ns)
		return ns.Items
	}
	buyerBefore := len(unread(w.other.AccessToken))
	brokerBefore := len(unread(f.broker.AccessToken))
	sellerBefore := len(unread(w.member.AccessToken))
	e.expect(e.do("POST", w.dealURL("/messages"), w.member.AccessToken, messageRequest{Body: "请查收报价"}), 200)
	b := unread(w.other.AccessToken)
	if len(b) != buyerBefore+1 || b[0].Kind != market.EventDealMessagePosted || b[0].ObjectID != d.ID || !strings.Contains(b[0].Text, "固态电池隔膜") {
		t.Fatalf("buyer notifications %+v", b)
	}
	if len(unread(f.broker.AccessToken)) != brokerBefore+1 || len(unread(w.member.AccessToken)) != sellerBefore {
		t.Fatal("the intermediary was not told, or the actor told itself")
	}
	e.expect(e.do("POST", "/api/v1/notifications/"+b[0].ID+"/read", f.stranger.AccessToken, nil), 404)
	var n notificationResponse
	e.expect(e.do("POST", "/api/v1/notifications/"+b[0].ID+"/read", w.other.AccessToken, nil), 200).json(&n)
	if n.ReadAt == nil || len(unread(w.other.AccessToken)) != buyerBefore {
		t.Fatalf("marked notification %+v", n)
	}
}

// TestConcurrentDealActionsResolveOnce races accept against withdraw, and
// accept against accept, on one offer: exactly one request wins, the other
// gets 409, on SQLite and PostgreSQL.
func TestConcurrentDealActionsResolveOnce(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := worldOn(t, db)
		w.dealFixture()
		race := func(name string, reqs ...func() int) {
			t.Helper()
			codes := make([]int, len(reqs))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, r := range reqs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					codes[i] = r()
				}()
			}
			close(start)
			wg.Wait()
			ok, conflict := 0, 0
			for _, c := range codes {
				switch c {
				case 200:
					ok++
				case 409:
					conflict++
				}
			}
			if ok != 1 || conflict != len(reqs)-1 {
				t.Fatalf("%s: statuses %v, want one 200 and the rest 409", name, codes)
			}
		}
		post := func(token, suffix string) func() int {
			return func() int { return w.e.do("POST", w.dealURL(suffix), token, nil).Code }
		}
		race("accept vs withdraw", post(w.other.AccessToken, "/offers/1/accept"), post(w.member.AccessToken, "/offers/1/withdraw"))
		var d dealResponse
		w.e.expect(w.e.do("GET", w.dealURL(""), w.member.AccessToken, nil), 200).json(&d)
		accepted := d.State == market.DealContractDrafted && d.Offers[0].Status == market.OfferAccepted
		withdrawn := d.State == market.DealNegotiation && d.Offers[0].Status == market.OfferWithdrawn
		if !accepted && !withdrawn {
			t.Fatalf("after the race: state %s offer %s", d.State, d.Offers[0].Status)
		}
		// A new offer (voiding a drafted contract) opens the second race.
		w.e.expect(w.e.do("POST", w.dealURL("/offers"), w.member.AccessToken, validOffer()), 200)
		w.e.expect(w.e.do("GET", w.dealURL(""), w.member.AccessToken, nil), 200).json(&d)
		n := d.Offers[len(d.Offers)-1].Number
		accept := post(w.other.AccessToken, "/offers/"+strconv.Itoa(n)+"/accept")
		race("accept vs accept", accept, accept)
		var events int
		err := db.View(context.Background(), func(tx market.Tx) error {
			evs, err := tx.ObjectEvents(market.DealObjectType, d.ID, 1000)
			for _, e := range evs {
				if e.Type == market.EventDealContractDrafted {
					events++
				}
			}
			return err
		})
		if err != nil || events != map[bool]int{true: 2, false: 1}[accepted] {
			t.Fatalf("contract_drafted events %d (first race accepted: %v), %v", events, accepted, err)
		}
	})
}

// TestIdleDealsExpire runs the sweeper with a clock past the idle time: the
// open deal expires, both sides are told, and a fresh one is left alone.
func TestIdleDealsExpire(t *testing.T) {
	w := newWorld(t)
	f := w.dealFixture()
	e := w.e
	var fresh dealResponse
	e.expect(e.do("POST", "/api/v1/deals", f.stranger.AccessToken, openDealRequest{OutcomeID: f.outcomeID, Message: "hello"}), 201).json(&fresh)
	ttl := 30 * 24 * time.Hour
	if n, err := e.svc.SweepIdleDeals(context.Background(), ttl); err != nil || n != 0 {
		t.Fatalf("sweep now: %d, %v", n, err)
	}
	// Age only the fixture's deal.
	if _, err := e.db.DB().Exec(`UPDATE deals SET last_activity_at = $1 WHERE id = $2`, time.Now().UTC().Add(-ttl-time.Hour), f.deal.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.SweepIdleDeals(context.Background(), ttl); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	var d dealResponse
	e.expect(e.do("GET", w.dealURL(""), w.other.AccessToken, nil), 200).json(&d)
	if d.State != market.DealExpired || d.ClosedAt == nil {
		t.Fatalf("aged deal is %s", d.State)
	}
	e.expect(e.do("GET", "/api/v1/deals/"+fresh.ID, f.stranger.AccessToken, nil), 200).json(&d)
	if d.State != market.DealInquiry {
		t.Fatalf("fresh deal is %s", d.State)
	}
	var ns listResponse[notificationResponse]
	e.expect(e.do("GET", "/api/v1/notifications", w.member.AccessToken, nil), 200).json(&ns)
	if ns.Items[0].Kind != market.EventDealExpired {
		t.Fatalf("seller's newest notification %+v", ns.Items[0])
	}
}
