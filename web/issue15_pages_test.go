package web

import (
	"context"
	"net/url"
	"testing"

	"techbridge/market"
)

// TestInquiryOnConfidentialOutcomeWithoutNDA: the inquiry page says before
// anything is typed that the owner has published no NDA, and offers no
// form; once the NDA is published the form is there.
func TestInquiryOnConfidentialOutcomeWithoutNDA(t *testing.T) {
	w := newListingWorld(t)
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Secret anode", Summary: "s", Description: "d",
		Confidentiality: market.ConfidentialityTeaser})
	ent := w.as("ent@example.com")
	p := ent.get("/deals/new?outcome=" + o.ID)
	if p.status != 200 || p.has(`action="/deals"`) || !p.has("has not published an NDA") {
		t.Fatalf("inquiry page without an NDA: %d, form %v\n%s", p.status, p.has(`action="/deals"`), p.body)
	}
	if _, err := w.svc.PublishNDA(context.Background(), w.uniActor, w.uni.ID, "NDA text"); err != nil {
		t.Fatal(err)
	}
	if p := ent.get("/deals/new?outcome=" + o.ID); !p.has(`action="/deals"`) || p.has("has not published an NDA") {
		t.Fatalf("inquiry page with an NDA lacks the form")
	}
}

// TestNotificationsInReadersLanguage: a notification shows only the
// reader's language, not both.
func TestNotificationsInReadersLanguage(t *testing.T) {
	w := newListingWorld(t)
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Fast-charge anode", Summary: "s"})
	if _, err := w.svc.OpenDealOnOutcome(context.Background(), w.entAct, w.ent.ID, o.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	uni := w.as("uni@example.edu.cn")
	if p := uni.get("/notifications"); !p.has("New inquiry: Fast-charge anode") || p.has("新的洽谈请求") {
		t.Fatalf("en notifications:\n%s", p.body)
	}
	uni.header.Set("Accept-Language", "zh-CN")
	if p := uni.get("/notifications"); !p.has("新的洽谈请求：Fast-charge anode") || p.has("New inquiry") {
		t.Fatalf("zh notifications:\n%s", p.body)
	}
}

// TestSearchShowsOrgNamesInReadersLanguage: an organisation with an
// English name is named in English to English readers and in Chinese to
// Chinese readers; one without falls back to the name it has.
func TestSearchShowsOrgNamesInReadersLanguage(t *testing.T) {
	docs := pageDocs()
	docs[0].OrgNameEN = "Tongji University"
	s := newSearchSite(t, docs...)
	b := s.browser()
	b.header.Set("Accept-Language", "en")
	p := b.get("/search?q=" + url.QueryEscape("电池回收"))
	if !p.has("Tongji University") || p.has("同济大学") || !p.has("有色金属研究院") {
		t.Fatalf("en search page names:\n%s", p.body)
	}
	b.header.Set("Accept-Language", "zh-CN")
	if p := b.get("/search?q=" + url.QueryEscape("电池回收")); !p.has("同济大学") || p.has("Tongji University") {
		t.Fatal("zh search page shows the English name")
	}
}
