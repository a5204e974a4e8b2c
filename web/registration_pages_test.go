package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestRegistryPagesAndProfileForm: the registry desk is the registrar's and
// admins' only; the profile form chooses the region by name from the GB/T
// 2260 list and names a wrong field in place, in the page's language.
func TestRegistryPagesAndProfileForm(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	owner := s.dealParty("owner@u.cn", market.OrgUniversity, "00031")
	if p := owner.get("/registry"); p.status != 403 {
		t.Fatalf("a party on the registry desk: %d", p.status)
	}
	if _, err := s.svc.CreateAdmin(ctx, market.NewAccount{Email: "reg@x.cn", Password: testPassword, DisplayName: "r"}, market.RoleRegistrar); err != nil {
		t.Fatal(err)
	}
	registrar := s.browser()
	registrar.login("reg@x.cn", testPassword)
	if p := registrar.get("/registry?region=3"); p.status != 400 && p.status != 422 {
		t.Fatalf("a bad region filter: %d", p.status)
	}
	p := registrar.get("/registry")
	if p.status != 200 || !p.has("registry-filter") || !p.has("没有符合条件的合同") || !p.has(`href="/registry"`) {
		t.Fatalf("registry desk: %d", p.status)
	}

	// The profile form: a region by name, posted as its code.
	p = owner.get("/my/organizations")
	if !p.has(`<option value="310110" selected>上海市 杨浦区</option>`) || !p.has(`<optgroup label="江苏省">`) {
		t.Fatal("the region chooser does not offer GB/T 2260 divisions by name")
	}
	orgID := s.actor("owner@u.cn").Memberships[0].OrgID
	p = owner.submit("/my/organizations/"+orgID+"/profile", url.Values{"address": {"x"}, "legal_representative": {"张三"},
		"contact_person": {"李四"}, "contact_phone": {"call me"}, "region_code": {"310199"}, "country": {"CN"}})
	if p.status != 422 || !strings.Contains(p.field(t, "p-phone-"+orgID), "应为电话号码") ||
		!strings.Contains(p.field(t, "p-region-"+orgID), "行政区划代码") {
		t.Fatalf("bad profile: %d", p.status)
	}
	owner.get("/lang/en?next=/my/organizations")
	p = owner.submit("/my/organizations/"+orgID+"/profile", url.Values{"address": {"x"}, "contact_phone": {"call me"}, "country": {"ZZ"}})
	if p.status != 422 || !strings.Contains(p.field(t, "p-phone-"+orgID), "Must be a telephone number") ||
		!strings.Contains(p.field(t, "p-country-"+orgID), "ISO 3166") {
		t.Fatalf("bad profile in English: %d", p.status)
	}
}
