package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"techbridge/market"
	"techbridge/market/sqlstore"
)

// TestE2ERegistrarRegistersDemoContract seeds the demo, runs the real
// serve command and drives two browsers: a party of the demo's signed
// contract submits it for registration, the demo registrar finds it on the
// registry page and records its number; the certificate shows it, and the
// registry exports it as JSON, CSV and XLSX through the API.
func TestE2ERegistrarRegistersDemoContract(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	var out strings.Builder
	if err := run(context.Background(), []string{"seed", "--demo", "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--data-dir", dir, "--database-url=", "--redis-url=", "--meili-url=")
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := market.NewService(db)
	ctx := context.Background()

	// The demo's signed contract and the email of its seller's owner.
	views, err := svc.Deals(ctx, market.SystemActor, market.DealFilter{State: market.DealSigned})
	if err != nil || len(views) == 0 {
		t.Fatalf("the demo has no signed contract: %v", err)
	}
	d := views[0].Deal
	// Every demo offer is of a type its listing offers (the old demo signed
	// a transfer on a licence-only listing).
	all, err := svc.Deals(ctx, market.SystemActor, market.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range all {
		o, err := svc.Outcome(ctx, market.SystemActor, v.Deal.ListingID)
		if err != nil {
			t.Fatal(err)
		}
		for _, off := range v.Deal.Offers {
			if err := market.CheckListingContractType(off.Terms.ContractType, o.TransferModes); err != nil {
				t.Errorf("demo offer on %q (%v): %v", o.Title, o.TransferModes, err)
			}
		}
	}
	var sellerEmail string
	err = db.View(ctx, func(tx market.Tx) error {
		ms, err := tx.Members(d.SellerOrgID)
		for _, m := range ms {
			if m.Role == market.MemberOwner {
				sellerEmail = m.Email
			}
		}
		return err
	})
	if err != nil || sellerEmail == "" {
		t.Fatalf("seller owner: %q %v", sellerEmail, err)
	}
	// Every field of the form is filled before anyone submits it.
	rec, err := svc.DealRegistration(ctx, market.Actor{AccountID: "x", PlatformRole: market.RoleAdmin}, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []market.RegistrationParty{rec.Buyer, rec.Seller, *rec.Intermediary} {
		for name, v := range map[string]string{"name": p.NameZH, "credit code": p.CreditCode, "legal-person type": p.LegalPersonType,
			"region": p.RegionName, "country": p.Country, "address": p.Address, "legal representative": p.LegalRepresentative,
			"contact": p.ContactPerson, "phone": p.ContactPhone} {
			if v == "" {
				t.Errorf("%s of %s is empty", name, p.NameZH)
			}
		}
	}
	for name, v := range map[string]string{"sub-type": rec.SubType, "technology field": rec.TechField, "IP type": rec.IPType,
		"objective": rec.SocioEconomicGoal, "place": rec.SigningPlace, "from": rec.ValidFrom, "until": rec.ValidUntil} {
		if v == "" {
			t.Errorf("%s is empty", name)
		}
	}
	if len(rec.PatentNumbers) == 0 && slices.Contains([]string{market.IPInventionPatent, market.IPUtilityModel}, rec.IPType) {
		t.Error("a patent without its number")
	}

	party := newBrowser(t, chromium)
	pageLogin(t, party, base, sellerEmail, demoPassword)
	page := base + "/deals/" + d.ID + "/registration"
	step(t, party, "submit for registration",
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.CSS("form.registration-submit")),
		clickAndLoad(chromedp.CSS("form.registration-submit button")),
		chromedp.WaitVisible(chromedp.CSS(".registration-state.state-submitted")))
	screenshot(t, party, "registration-submitted")

	registrar := newBrowser(t, chromium)
	pageLogin(t, registrar, base, demoRegistrarEmail, demoPassword)
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	step(t, registrar, "find it on the registry page",
		chromedp.Navigate(base+"/registry?state=submitted"),
		chromedp.WaitVisible(chromedp.CSS(`tr.registry-row[data-deal="`+d.ID+`"]`)),
		clickAndLoad(chromedp.CSS(`tr.registry-row[data-deal="`+d.ID+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS("form.registration-record")))
	screenshot(t, registrar, "registration-form")
	step(t, registrar, "record the number and date",
		chromedp.SetValue(chromedp.ID("r-number"), "2026310000000042"),
		chromedp.SetValue(chromedp.ID("r-date"), today),
		clickAndLoad(chromedp.CSS("form.registration-record button")),
		chromedp.WaitVisible(chromedp.CSS(".registration-state.state-registered")),
		clickAndLoad(chromedp.CSS("a.registration-certificate")),
		chromedp.WaitVisible(chromedp.CSS(".certificate-number")))
	wantText(t, registrar, ".certificate-number", "2026310000000042")
	screenshot(t, registrar, "registration-certificate")

	// The registry's three exports, through the API.
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	get := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, b)
		}
		return b
	}
	res, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"email":"`+demoRegistrarEmail+`","password":"`+demoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	var list struct {
		Items []market.RegistrationRecord `json:"items"`
	}
	if err := json.Unmarshal(get("/api/v1/registrations?state=registered"), &list); err != nil || len(list.Items) != 1 ||
		list.Items[0].RegistrationNumber != "2026310000000042" || list.Items[0].RegisteredOn != today {
		t.Fatalf("JSON export %+v %v", list.Items, err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(get("/api/v1/registrations?format=csv&lang=zh"), []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][1] != "2026310000000042" {
		t.Fatalf("CSV export %v %v", rows, err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(get("/api/v1/registrations?format=xlsx&lang=en")))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cells, err := x.GetRows("registrations")
	if err != nil || len(cells) != 2 || cells[0][1] != "Registration number" || cells[1][1] != "2026310000000042" {
		t.Fatalf("XLSX export %v %v", cells, err)
	}
}
