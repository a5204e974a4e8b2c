package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"techbridge/market"
)

// registrarToken returns the registry's token when the route states a
// verdict for it, creating the registrar account on first use.
func (w *world) registrarToken(v verdict) string {
	if v == 0 {
		return ""
	}
	if w.registrar.AccessToken == "" {
		e := w.e
		if _, err := e.svc.CreateAdmin(context.Background(), market.NewAccount{Email: "registry@techbridge.test",
			Password: "correct horse battery", DisplayName: "Registry"}, market.RoleRegistrar); err != nil {
			e.t.Fatal(err)
		}
		e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "registry@techbridge.test", Password: "correct horse battery"}), 200).json(&w.registrar)
	}
	return w.registrar.AccessToken
}

// signedDeal builds, through the API, a deal in which B buys a public
// outcome of A brokered by the deal fixture's intermediary, agreed on
// validOffer (with its registration answers), signed by both and submitted
// for registration by B.
func (w *world) signedDeal() dealResponse {
	if w.signed != nil {
		return *w.signed
	}
	f := w.dealFixture()
	e := w.e
	outcome := e.publishedOutcome("member@a.example.cn", w.orgA.ID, false)
	var d dealResponse
	e.expect(e.do("POST", "/api/v1/deals", w.other.AccessToken, openDealRequest{OutcomeID: outcome, OrgID: w.orgB.ID, Message: "求购"}), 201).json(&d)
	path := "/api/v1/deals/" + d.ID
	e.expect(e.do("POST", path+"/accept", w.member.AccessToken, nil), 200)
	e.expect(e.do("POST", path+"/intermediary", w.other.AccessToken, inviteIntermediaryRequest{OrgID: f.brokerOrg.ID,
		FeeBasis: "bps", FeeBPS: 300, FeePayer: "split"}), 200)
	e.expect(e.do("POST", path+"/intermediary/response", f.broker.AccessToken, respondRequest{Accept: true}), 200)
	e.expect(e.do("POST", path+"/intermediary/fee", w.member.AccessToken, agreeRequest{Agree: true}), 200)
	e.expect(e.do("POST", path+"/offers", w.member.AccessToken, validOffer()), 200)
	e.expect(e.do("POST", path+"/offers/1/accept", w.other.AccessToken, nil), 200).json(&d)
	e.expect(e.do("POST", path+"/contract/signatures", w.member.AccessToken, hashRequest{Hash: d.Contract.Hash}), 200)
	e.expect(e.do("POST", path+"/contract/signatures", w.other.AccessToken, hashRequest{Hash: d.Contract.Hash}), 200).json(&d)
	e.expect(e.do("POST", path+"/registration/submission", w.other.AccessToken, nil), 200)
	w.signed = &d
	return d
}

// chinaToday is today's date in China, where registration dates are.
func chinaToday() string {
	return time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
}

func signedDealPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/deals/" + w.signedDeal().ID + suffix }
}

// TestRegistrationWorkflowAPI walks a signed contract through the registry
// by the API: submission by the intermediary, a return with its reason, a
// resubmission, the number and date, and the exports in three formats.
func TestRegistrationWorkflowAPI(t *testing.T) {
	w := newWorld(t)
	e := w.e
	d := w.signedDeal()
	f := w.dealFixture()
	path := "/api/v1/deals/" + d.ID + "/registration"
	reg := w.registrarToken(Allow)

	var r market.RegistrationRecord
	e.expect(e.do("GET", path, reg, nil), 200).json(&r)
	if r.State != market.RegistrationSubmitted || r.SubType != "commissioned" || r.TechField != "new_energy" || r.IPType != market.IPInventionPatent ||
		r.Buyer.RegionCode != "310110" || r.Buyer.Address == "" || r.Intermediary == nil || r.ValidFrom != futureDate(0) {
		t.Fatalf("submitted record %+v", r)
	}
	if p := e.expect(e.do("POST", path+"/submission", f.broker.AccessToken, nil), 409).problem(); p.Code != "conflict" {
		t.Fatalf("second submission: %+v", p)
	}
	e.expect(e.do("POST", path+"/return", reg, returnRegistrationRequest{Reason: "签订地点不详"}), 200).json(&r)
	if r.State != market.RegistrationReturned || r.ReturnReason != "签订地点不详" {
		t.Fatalf("after return %+v", r)
	}
	e.expect(e.do("POST", path+"/submission", f.broker.AccessToken, nil), 200)
	p := e.expect(e.do("POST", path+"/record", reg, recordRegistrationRequest{Number: "12345", Date: "2026-13-01"}), 400).problem()
	if len(p.Errors) != 2 || p.Errors[0].Field != "number" || p.Errors[1].Field != "date" {
		t.Fatalf("bad number and date: %+v", p.Errors)
	}
	e.expect(e.do("POST", path+"/record", reg, recordRegistrationRequest{Number: "2026310000000001", Date: chinaToday()}), 200).json(&r)
	if r.State != market.RegistrationRegistered || r.RegistrationNumber != "2026310000000001" {
		t.Fatalf("after registration %+v", r)
	}

	// The export: JSON pages by cursor, CSV with a BOM, XLSX.
	var page listResponse[market.RegistrationRecord]
	e.expect(e.do("GET", "/api/v1/registrations?limit=1&state=registered&region=31&field="+r.TechField, reg, nil), 200).json(&page)
	if len(page.Items) != 1 || page.Items[0].DealID != d.ID || page.NextCursor != d.ID {
		t.Fatalf("registry page %+v", page)
	}
	e.expect(e.do("GET", "/api/v1/registrations?limit=1&cursor="+page.NextCursor, reg, nil), 200).json(&page)
	if len(page.Items) != 0 {
		t.Fatalf("second page %+v", page.Items)
	}
	res := e.expect(e.do("GET", "/api/v1/registrations?format=csv&lang=zh", reg, nil), 200)
	raw := res.Body.Bytes()
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Fatal("CSV without a byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][1] != "合同登记编号" || rows[1][1] != "2026310000000001" {
		t.Fatalf("CSV %v, %v", rows, err)
	}
	en := serve(e, newRequest("GET", "/api/v1/registrations?format=csv", map[string]string{"Authorization": "Bearer " + reg,
		"Accept-Language": "en-GB,en;q=0.8"}))
	if rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(en.Body.Bytes(), []byte("\ufeff")))).ReadAll(); en.Code != 200 || len(rows) == 0 || rows[0][1] != "Registration number" {
		t.Fatalf("English CSV headings %v", rows)
	}
	res = e.expect(e.do("GET", path+"?format=xlsx&lang=en", w.other.AccessToken, nil), 200)
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cells, err := x.GetRows("registrations")
	if err != nil || len(cells) != 2 || cells[0][0] != "Platform deal ID" || cells[1][0] != d.ID {
		t.Fatalf("XLSX %v, %v", cells, err)
	}
	// The registered event is the statistics consumer's.
	if e.eventsOfType(market.EventContractRegistered) != 1 || e.eventsOfType(market.EventRegistrationSubmitted) != 2 ||
		e.eventsOfType(market.EventRegistrationReturned) != 1 {
		t.Fatal("registration events not as the event contract says")
	}
}

// eventsOfType counts the log's events of one type.
func (e *testEnv) eventsOfType(typ string) int {
	e.t.Helper()
	n := 0
	err := e.db.View(context.Background(), func(tx market.Tx) error {
		evs, err := tx.EventsAfter(0, 1_000_000)
		for _, ev := range evs {
			if ev.Type == typ {
				n++
			}
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestOrgProfileAPI: owners set the registration profile; a region outside
// GB/T 2260 or a bad country is named.
func TestOrgProfileAPI(t *testing.T) {
	w := newWorld(t)
	e := w.e
	path := "/api/v1/organizations/" + w.orgA.ID + "/profile"
	bad := testProfile
	bad.RegionCode, bad.Country = "310199", "XX"
	p := e.expect(e.do("PUT", path, w.member.AccessToken, bad), 400).problem()
	if len(p.Errors) != 2 || p.Errors[0].Field != "country" || p.Errors[1].Field != "region_code" {
		t.Fatalf("bad profile: %+v", p.Errors)
	}
	good := testProfile
	good.RegionCode, good.Address = "320576", "江苏省苏州市工业园区星湖街328号"
	var o orgResponse
	e.expect(e.do("PUT", path, w.member.AccessToken, good), 200).json(&o)
	if o.RegionCode != "320576" || o.RegionName != "江苏省 苏州市 苏州工业园区" || o.Address != good.Address {
		t.Fatalf("profile %+v", o)
	}
	// A person's contact is for members and the registry, not the public.
	var public orgResponse
	e.expect(e.do("GET", "/api/v1/organizations/"+w.orgA.ID, "", nil), 200).json(&public)
	if public.ContactPhone != "" || public.ContactPerson != "" || public.RegionCode != "320576" {
		t.Fatalf("public profile %+v", public)
	}
}
