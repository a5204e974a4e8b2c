package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"techbridge/api/kv"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestPayoutAccountThroughTheAPI: payees give their payout account through
// the API, not only the pages: an owner sets it (spaces collapsed, ETag of
// the new version), the organisation's members read it, outsiders do not;
// a member who is not an owner gets 403, an outsider 404, an empty or
// overlong account 400 naming payout_ref. On both engines.
func TestPayoutAccountThroughTheAPI(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, kv.NewMemory(), Config{})
		_, owner := e.user("owner@u.example.cn")
		_, member := e.user("member@u.example.cn")
		_, outsider := e.user("outsider@x.example.cn")
		org := e.org(owner.AccessToken, "university")
		e.join(owner.AccessToken, org.ID, "member@u.example.cn", "member", member.AccessToken)
		path := "/api/v1/organizations/" + org.ID + "/payout-account"

		res := e.expect(e.do("PUT", path, owner.AccessToken, payoutAccountRequest{PayoutRef: "  中国工商银行上海分行   某某大学  6222 0000 1234 "}), 200)
		var got orgResponse
		res.json(&got)
		if got.PayoutRef != "中国工商银行上海分行 某某大学 6222 0000 1234" || got.Version != org.Version+1 ||
			res.Header().Get("ETag") != `"`+strconv.FormatInt(got.Version, 10)+`"` {
			t.Fatalf("after setting: %+v, ETag %q", got, res.Header().Get("ETag"))
		}
		var read orgResponse
		e.expect(e.do("GET", "/api/v1/organizations/"+org.ID, member.AccessToken, nil), 200).json(&read)
		if read.PayoutRef != got.PayoutRef {
			t.Fatalf("a member reads %q", read.PayoutRef)
		}
		var public orgResponse
		e.expect(e.do("GET", "/api/v1/organizations/"+org.ID, outsider.AccessToken, nil), 200).json(&public)
		if public.PayoutRef != "" || public.ID != org.ID {
			t.Fatalf("an outsider reads the payout account %q", public.PayoutRef)
		}
		e.expect(e.do("PUT", path, member.AccessToken, payoutAccountRequest{PayoutRef: "mine"}), http.StatusForbidden)
		e.expect(e.do("PUT", path, outsider.AccessToken, payoutAccountRequest{PayoutRef: "mine"}), http.StatusNotFound)
		for _, bad := range []string{"   ", strings.Repeat("账", 201)} {
			p := e.expect(e.do("PUT", path, owner.AccessToken, payoutAccountRequest{PayoutRef: bad}), http.StatusBadRequest).problem()
			if len(p.Errors) == 0 || p.Errors[0].Field != "payout_ref" {
				t.Fatalf("bad account %q: %+v", bad[:3], p)
			}
		}
	})
}
