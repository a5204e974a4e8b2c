package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestPublishNDA: an owner publishes the organisation's NDA from its page
// and sees its version and hash; the same text again is no new version, a
// changed one is; an empty text comes back in place; members see the
// current version but get no form, and their posts are refused.
func TestPublishNDA(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	w.join(t, w.uniActor, w.uni.ID, "nobody@example.com")
	owner := w.as("uni@example.edu.cn")
	action := `action="/my/organizations/` + w.uni.ID + `/nda"`
	p := owner.get("/my/organizations")
	if !p.has(action) || !p.has("No NDA published yet") {
		t.Fatalf("owner's page lacks the NDA form or its empty state:\n%s", p.body)
	}
	p = owner.submit("/my/organizations/"+w.uni.ID+"/nda", url.Values{"text": {"   "}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "nda-text-"+w.uni.ID), "field-error") {
		t.Fatalf("empty NDA: %d", p.status)
	}

	v1 := "甲乙双方同意对洽谈中披露的技术信息保密。\nBoth parties keep the disclosed information confidential."
	p = owner.submit("/my/organizations/"+w.uni.ID+"/nda", url.Values{"text": {v1}})
	if !strings.HasPrefix(p.path, "/my/organizations?done=nda_published") || !p.has(`class="nda-version">v1<`) || !p.has(fingerprint(market.NDAHash(v1))) {
		t.Fatalf("after publishing: %s\n%s", p.path, p.body)
	}
	if !strings.Contains(p.field(t, "nda-text-"+w.uni.ID), html.EscapeString(v1)+"</textarea>") {
		t.Error("the next version's form does not start from the current text")
	}
	p = owner.submit("/my/organizations/"+w.uni.ID+"/nda", url.Values{"text": {v1}})
	if !strings.Contains(p.path, "done=nda_unchanged") || !p.has(`v1<`) {
		t.Errorf("same text again: %s", p.path)
	}
	v2 := v1 + "\n保密期限为三年。"
	p = owner.submit("/my/organizations/"+w.uni.ID+"/nda", url.Values{"text": {v2}})
	if !p.has(`class="nda-version">v2<`) || !p.has(fingerprint(market.NDAHash(v2))) || p.has(fingerprint(market.NDAHash(v1))) {
		t.Errorf("after a second version:\n%s", p.body)
	}
	if n, err := w.svc.CurrentNDA(ctx, w.uni.ID); err != nil || n.Version != 2 || n.Text != v2 {
		t.Errorf("stored NDA: %+v %v", n, err)
	}

	member := w.as("nobody@example.com")
	p = member.get("/my/organizations")
	if p.has(action) || !p.has(`class="nda-version">v2<`) {
		t.Errorf("member's view of the NDA: form %v", p.has(action))
	}
	if p := member.submit("/my/organizations/"+w.uni.ID+"/nda", url.Values{"text": {"mine"}}); p.status != http.StatusForbidden {
		t.Errorf("member publishing: %d, want 403", p.status)
	}
	if n, _ := w.svc.CurrentNDA(ctx, w.uni.ID); n.Version != 2 {
		t.Errorf("a member's post changed the NDA to v%d", n.Version)
	}
}
