package market_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/demo"
	"techbridge/market/msgs"
)

// registrationWorld is the demo market with two signed deals (one brokered),
// the registrar and the actors of each organisation.
type registrationWorld struct {
	svc       *market.Service
	orgs      map[string]string
	registrar market.Actor
	signed    []market.Deal // newest first
}

func (w *registrationWorld) owner(t *testing.T, name string) market.Actor {
	t.Helper()
	var id string
	err := w.svc.Store.View(context.Background(), func(tx market.Tx) error {
		a, err := tx.AccountByEmail(name + "@x.cn")
		id = a.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.svc.ActorFor(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func newRegistrationWorld(t *testing.T) *registrationWorld {
	t.Helper()
	ctx := context.Background()
	svc, orgs := demoMarket(t)
	w := &registrationWorld{svc: svc, orgs: orgs}
	if _, err := demo.SeedDeals(ctx, svc, demo.Deals{
		Buyers: []string{orgs["ent1"], orgs["ent2"], orgs["ent3"], orgs["bureau"]}, Intermediary: orgs["broker"]}); err != nil {
		t.Fatal(err)
	}
	acc, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "registry@x.cn", Password: "long enough pass", DisplayName: "r"}, market.RoleRegistrar)
	if err != nil {
		t.Fatal(err)
	}
	if w.registrar, err = svc.ActorFor(ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	all, err := svc.Deals(ctx, market.SystemActor, market.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range all {
		d := v.Deal
		if d.State == market.DealContractDrafted { // the buyer signed; the seller signs too
			seller := w.owner(t, map[string]string{orgs["uni"]: "uni", orgs["inst"]: "inst"}[d.SellerOrgID])
			nv, err := svc.ActOnDeal(ctx, seller, d.ID, market.SignContract{Hash: d.Contract.Hash})
			if err != nil {
				t.Fatal(err)
			}
			d = nv.Deal
		}
		if d.State == market.DealSigned {
			w.signed = append(w.signed, d)
		}
	}
	slices.SortFunc(w.signed, func(a, b market.Deal) int { return -compare(a.ID, b.ID) })
	if len(w.signed) != 2 {
		t.Fatalf("%d signed deals, want 2", len(w.signed))
	}
	return w
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (w *registrationWorld) partyName(orgID string) string {
	for n, id := range w.orgs {
		if id == orgID {
			return n
		}
	}
	return ""
}

// lastEvent returns the newest event of type typ.
func (w *registrationWorld) lastEvent(t *testing.T, typ string) market.Event {
	t.Helper()
	var found market.Event
	err := w.svc.Store.View(context.Background(), func(tx market.Tx) error {
		evs, err := tx.EventsAfter(0, 100000)
		for _, e := range evs {
			if e.Type == typ {
				found = e
			}
		}
		return err
	})
	if err != nil || found.Type == "" {
		t.Fatalf("no %s event (%v)", typ, err)
	}
	return found
}

func code(err error) string { return market.ErrorCode(err) }

func TestRegistrationWorkflow(t *testing.T) {
	w := newRegistrationWorld(t)
	ctx := context.Background()
	brokered, plain := w.signed[0], w.signed[1]
	if brokered.Intermediary == nil {
		brokered, plain = plain, brokered
	}
	buyer := w.owner(t, w.partyName(brokered.BuyerOrgID))
	broker := w.owner(t, "broker")
	stranger := w.owner(t, "ent3")
	if stranger.MemberOf(brokered.BuyerOrgID) || stranger.MemberOf(plain.BuyerOrgID) {
		stranger = w.owner(t, "bureau")
	}

	// The registry sees only what was submitted to it.
	if _, err := w.svc.DealRegistration(ctx, w.registrar, brokered.ID); code(err) != market.ENOTFOUND {
		t.Fatalf("registrar reads an unsubmitted contract: %v", err)
	}
	// Who may submit: parties and the intermediary; the registry does not.
	if _, err := w.svc.SubmitRegistration(ctx, stranger, brokered.ID); code(err) != market.ENOTFOUND {
		t.Fatalf("stranger submits: %v", err)
	}
	if _, err := w.svc.SubmitRegistration(ctx, w.registrar, brokered.ID); code(err) != market.ENOTFOUND {
		t.Fatalf("registrar submits: %v", err)
	}
	r, err := w.svc.SubmitRegistration(ctx, broker, brokered.ID)
	if err != nil || r.State != market.RegistrationSubmitted {
		t.Fatalf("intermediary submits: %+v %v", r.State, err)
	}
	if e := w.lastEvent(t, market.EventRegistrationSubmitted); e.ObjectID != brokered.ID || e.ObjectType != "deal" || string(e.Payload) != `{"by_role":"intermediary"}` {
		t.Fatalf("submitted event %+v %s", e, e.Payload)
	}
	_, err = w.svc.SubmitRegistration(ctx, buyer, brokered.ID)
	if code(err) != market.ECONFLICT {
		t.Fatalf("second submission: %v", err)
	}
	// The refusal names the state as a term the reader's language shows
	// (the pages' catalogue), not the raw word.
	defer func(old func(lang, key string) (string, bool)) { msgs.TermText = old }(msgs.TermText)
	msgs.TermText = func(lang, key string) (string, bool) {
		return map[string]string{"reg.state.submitted": "待登记"}[key], key == "reg.state.submitted"
	}
	var me *market.Error
	if !errors.As(err, &me) || me.Localize("zh") != "该合同已是待登记状态" || me.Localize("en") != "the contract is already submitted" {
		t.Fatalf("second submission refused as %v", err)
	}
	if _, err := w.svc.SubmitRegistration(ctx, w.registrar, brokered.ID); code(err) != market.EFORBIDDEN {
		t.Fatalf("registrar submits a submitted contract: %v", err)
	}
	if r, err := w.svc.DealRegistration(ctx, w.registrar, brokered.ID); err != nil || r.State != market.RegistrationSubmitted {
		t.Fatalf("registrar reads a submitted contract: %v", err)
	}
	plainSeller := w.owner(t, w.partyName(plain.SellerOrgID))
	if _, err := w.svc.SubmitRegistration(ctx, plainSeller, plain.ID); err != nil {
		t.Fatal(err)
	}

	// The export: only the registry and admins; limit is the whole page.
	if _, _, err := w.svc.Registrations(ctx, buyer, market.RegistrationFilter{}); code(err) != market.EFORBIDDEN {
		t.Fatalf("party exports: %v", err)
	}
	page1, next, err := w.svc.Registrations(ctx, w.registrar, market.RegistrationFilter{Limit: 1})
	if err != nil || len(page1) != 1 || next == "" || page1[0].DealID != w.signed[0].ID {
		t.Fatalf("page 1: %d records, next %q, %v", len(page1), next, err)
	}
	page2, next2, err := w.svc.Registrations(ctx, w.registrar, market.RegistrationFilter{Limit: 1, After: next})
	if err != nil || len(page2) != 1 || page2[0].DealID != w.signed[1].ID {
		t.Fatalf("page 2: %+v %v", page2, err)
	}
	if page3, _, err := w.svc.Registrations(ctx, w.registrar, market.RegistrationFilter{Limit: 1, After: next2}); err != nil || len(page3) != 0 {
		t.Fatalf("page 3: %d %v", len(page3), err)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	for _, tc := range []struct {
		f    market.RegistrationFilter
		want int
	}{
		{market.RegistrationFilter{State: market.RegistrationSubmitted}, 2},
		{market.RegistrationFilter{State: market.RegistrationRegistered}, 0},
		{market.RegistrationFilter{Region: "31"}, 2},
		{market.RegistrationFilter{Region: "3101"}, 2},
		{market.RegistrationFilter{Region: "44"}, 0},
		{market.RegistrationFilter{From: today, To: today}, 2},
		{market.RegistrationFilter{From: "2099-01-01"}, 0},
		{market.RegistrationFilter{ContractType: market.ContractDevelopment}, 2},
		{market.RegistrationFilter{ContractType: market.ContractTransfer}, 0},
		{market.RegistrationFilter{TechField: "advanced_manufacturing"}, 2},
		{market.RegistrationFilter{TechField: "nuclear"}, 0},
	} {
		got, _, err := w.svc.Registrations(ctx, w.registrar, tc.f)
		if err != nil || len(got) != tc.want {
			t.Errorf("filter %+v: %d records, %v; want %d", tc.f, len(got), err, tc.want)
		}
	}
	if _, _, err := w.svc.Registrations(ctx, w.registrar, market.RegistrationFilter{Region: "3", From: "tomorrow"}); code(err) != market.EINVALID {
		t.Errorf("bad filter: %v", err)
	}

	// Return with a reason; the party fixes and submits again.
	if _, err := w.svc.ReturnRegistration(ctx, buyer, brokered.ID, "x"); code(err) != market.EFORBIDDEN {
		t.Fatalf("party returns: %v", err)
	}
	if _, err := w.svc.ReturnRegistration(ctx, w.registrar, brokered.ID, " "); code(err) != market.EINVALID {
		t.Fatalf("return without reason: %v", err)
	}
	if r, err = w.svc.ReturnRegistration(ctx, w.registrar, brokered.ID, "买方联系电话有误"); err != nil || r.State != market.RegistrationReturned {
		t.Fatalf("return: %+v %v", r.State, err)
	}
	if e := w.lastEvent(t, market.EventRegistrationReturned); string(e.Payload) != `{"reason":"买方联系电话有误"}` || e.ActorID != w.registrar.AccountID {
		t.Fatalf("returned event %s", e.Payload)
	}
	if r, err = w.svc.DealRegistration(ctx, buyer, brokered.ID); err != nil || r.State != market.RegistrationReturned || r.ReturnReason == "" {
		t.Fatalf("party sees %+v %v", r, err)
	}
	if _, err := w.svc.RecordRegistration(ctx, w.registrar, brokered.ID, "2026310000000001", today); code(err) != market.ECONFLICT {
		t.Fatalf("registering a returned contract: %v", err)
	}
	if _, err := w.svc.SubmitRegistration(ctx, buyer, brokered.ID); err != nil {
		t.Fatalf("resubmission: %v", err)
	}

	// Register: 16 digits, a date between signing and today.
	for _, bad := range []struct{ number, date, field string }{
		{"123", today, "number"}, {"20263100000000AB", today, "number"},
		{"2026310000000001", "2099-01-01", "date"}, {"2026310000000001", "2000-01-01", "date"}, {"2026310000000001", "10/03/2026", "date"},
	} {
		_, err := w.svc.RecordRegistration(ctx, w.registrar, brokered.ID, bad.number, bad.date)
		if e, ok := err.(*market.Error); !ok || len(e.Fields) == 0 || e.Fields[0].Field != bad.field {
			t.Errorf("%s %s: %v, want %s named", bad.number, bad.date, err, bad.field)
		}
	}
	if _, err := w.svc.RecordRegistration(ctx, buyer, brokered.ID, "2026310000000001", today); code(err) != market.EFORBIDDEN {
		t.Fatalf("party registers: %v", err)
	}
	if r, err = w.svc.RecordRegistration(ctx, w.registrar, brokered.ID, "2026310000000001", today); err != nil ||
		r.State != market.RegistrationRegistered || r.RegistrationNumber != "2026310000000001" || r.RegisteredOn != today {
		t.Fatalf("register: %+v %v", r, err)
	}
	var p map[string]any
	e := w.lastEvent(t, market.EventContractRegistered)
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"contract_type": "development", "sub_type": "commissioned", "tech_field": "advanced_manufacturing",
		"ip_type": r.IPType, "socio_economic_goal": "industry", "buyer_region": "310110", "seller_region": "310110",
		"buyer_kind": r.Buyer.Kind, "seller_kind": r.Seller.Kind, "intermediary_org_id": w.orgs["broker"], "currency": "CNY",
		"total_amount": float64(r.TotalAmount), "technical_income": float64(r.TechnicalIncome),
		"registration_number": "2026310000000001", "registered_on": today, "signed_on": r.SigningDate}
	if len(p) != len(want) {
		t.Errorf("payload has %d keys, the event contract %d: %v", len(p), len(want), p)
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("payload %s = %v, want %v", k, p[k], v)
		}
	}
	if r.Buyer.Kind == "" || r.Seller.Kind != market.OrgUniversity && r.Seller.Kind != market.OrgInstitute {
		t.Errorf("kinds %q %q", r.Buyer.Kind, r.Seller.Kind)
	}
	// A number is one contract's.
	if _, err := w.svc.RecordRegistration(ctx, w.registrar, plain.ID, "2026310000000001", today); !hasFieldErr(err, "number") {
		t.Fatalf("duplicate number: %v", err)
	}
	if r, err = w.svc.DealRegistration(ctx, buyer, brokered.ID); err != nil || r.RegistrationNumber != "2026310000000001" {
		t.Fatalf("certificate data: %+v %v", r, err)
	}
}

func hasFieldErr(err error, field string) bool {
	e, ok := err.(*market.Error)
	return ok && len(e.Fields) > 0 && e.Fields[0].Field == field
}

// TestSubmissionNamesMissingProfileFields: a party whose profile lacks the
// form's fields cannot submit; the error names them.
func TestSubmissionNamesMissingProfileFields(t *testing.T) {
	w := newRegistrationWorld(t)
	ctx := context.Background()
	d := w.signed[0]
	buyerName := w.partyName(d.BuyerOrgID)
	if _, err := w.svc.UpdateOrgProfile(ctx, w.owner(t, buyerName), d.BuyerOrgID, 0, market.OrgProfile{Country: "CN"}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.SubmitRegistration(ctx, w.owner(t, buyerName), d.ID)
	e, ok := err.(*market.Error)
	if !ok || e.Code != market.EINVALID {
		t.Fatalf("submission with a blank profile: %v", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	for _, f := range []string{"buyer.address", "buyer.legal_representative", "buyer.contact_person", "buyer.contact_phone", "buyer.region_code"} {
		if !slices.Contains(fields, f) {
			t.Errorf("%s not named in %v", f, fields)
		}
	}
}

// TestTypeMustBeOneTheListingOffers: an offer of a contract type the outcome
// is not offered under is refused by the service.
func TestTypeMustBeOneTheListingOffers(t *testing.T) {
	ctx := context.Background()
	svc, orgs := demoMarket(t)
	uni := func() market.Actor {
		w := &registrationWorld{svc: svc}
		return w.owner(t, "uni")
	}()
	trl := 5
	o, err := svc.CreateOutcome(ctx, uni, orgs["uni"], market.OutcomeInput{Title: "许可专用", Summary: "s", Description: "d", TRL: &trl,
		TransferModes: []string{market.TransferExclusiveLicence}, ExternalID: "lic"})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = svc.TransitionOutcome(ctx, uni, o.ID, o.Version, market.SubmitListing, ""); err != nil {
		t.Fatal(err)
	}
	admin := market.Actor{AccountID: "admin", PlatformRole: market.RoleAdmin}
	if _, err = svc.TransitionOutcome(ctx, admin, o.ID, o.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	w := &registrationWorld{svc: svc}
	buyer := w.owner(t, "ent1")
	v, err := svc.OpenDealOnOutcome(ctx, buyer, orgs["ent1"], o.ID, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ActOnDeal(ctx, uni, v.Deal.ID, market.AcceptInquiry{}); err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().AddDate(0, 1, 0)
	terms := market.OfferTerms{ContractType: market.ContractTransfer, Price: 100000, Currency: "CNY",
		Milestones: []market.MilestoneTerms{{Title: "t", Deliverable: "d", Amount: 100000, Due: day}}}
	if _, err := svc.ActOnDeal(ctx, uni, v.Deal.ID, market.ProposeOffer{Terms: terms}); !hasFieldErr(err, "contract_type") {
		t.Fatalf("transfer on a licence-only listing: %v", err)
	}
	terms.ContractType = market.ContractLicence
	terms.Licence = &market.LicenceScope{Exclusive: true, Territory: "中国", FieldOfUse: "电池", TermMonths: 12}
	// The registration answers left empty are the listing's: tech field,
	// IP type and patents; the rest is the offer's.
	terms.Registration = &market.RegistrationTerms{SubType: "exclusive", ValidFrom: day, ValidUntil: day.AddDate(1, 0, 0),
		SigningPlace: "上海", SocioEconomicGoal: "industry", TechField: "new_energy"}
	nv, err := svc.ActOnDeal(ctx, uni, v.Deal.ID, market.ProposeOffer{Terms: terms})
	if err != nil {
		t.Fatalf("licence on a licence listing: %v", err)
	}
	if got := nv.Deal.LatestOffer().Terms.Registration; got.IPType != market.IPOther {
		t.Fatalf("IP type not taken from the listing: %+v", got)
	}
}
