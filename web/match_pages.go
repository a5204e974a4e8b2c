package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"techbridge/market"
	"techbridge/search"
)

// matchesPageData is what templates/matches.html draws, for a scenario
// ("matches for my scenario"), an outcome ("who needs my outcome") or a
// described need (the box on the home page).
type matchesPageData struct {
	HeadingKey   string
	SubjectTitle string
	SubjectHref  string
	Need         *needForm // the need page's form, nil on the others
	Grouped      bool
	ListHref     string // the same matches as a list
	GroupHref    string // … grouped by organisation
	Items        []matchView
	Orgs         []orgMatchView
	Error        string
}

// needForm is the "describe your need" form as submitted.
type needForm struct {
	Text, Kind, TRL, Budget, Region string
	Submitted                       bool
}

// matchView is one match with its reasons in the page language.
type matchView struct {
	ID, Kind, KindLabel, Title, Href, OrgName string
	ScoreLabel                                string // what the score is, for its tooltip
	Score                                     float64
	Strong                                    bool
	Facts                                     []string
	Reasons                                   []string
	Gaps                                      []string
}

// orgMatchView is an organisation with its best matches.
type orgMatchView struct {
	OrgName, OrgKind string
	Score            float64
	Matches          int
	Best             []matchView
}

// scenarioMatchesPage ranks outcomes for a scenario the visitor may see
// (anyone for a published one; the owner and reviewers otherwise).
func (s *Server) scenarioMatchesPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.listingMatches(w, r, v, "matches.heading.scenario", s.matcher.ForScenario)
}

// outcomeMatchesPage ranks open scenarios for an outcome ("who needs my
// outcome").
func (s *Server) outcomeMatchesPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.listingMatches(w, r, v, "matches.heading.outcome", s.matcher.ForOutcome)
}

// matchFunc is Matcher.ForScenario or ForOutcome (a nil Matcher is
// checked before it is called).
type matchFunc = func(ctx context.Context, actor market.Actor, id string, opt search.MatchOptions) (search.MatchResult, error)

func (s *Server) listingMatches(w http.ResponseWriter, r *http.Request, v *visit, headingKey string, match matchFunc) error {
	if s.matcher == nil {
		s.renderError(w, v, http.StatusServiceUnavailable, "search.unavailable.title", "search.unavailable.body")
		return nil
	}
	id := r.PathValue("id")
	opt := search.MatchOptions{Limit: 20}
	if r.URL.Query().Get("group") == search.GroupOrganization {
		opt.Group = search.GroupOrganization
	}
	res, err := match(r.Context(), v.Actor, id, opt)
	if err != nil {
		return err
	}
	d := matchesPageData{HeadingKey: headingKey, SubjectTitle: res.Subject.Title, Grouped: opt.Group != "",
		SubjectHref: "/" + res.Subject.Kind + "s/" + url.PathEscape(id), ListHref: r.URL.Path,
		GroupHref: r.URL.Path + "?group=" + search.GroupOrganization}
	fillMatches(v.Lang, &d, res)
	s.render(w, v, http.StatusOK, "matches", d)
	return nil
}

// needPage answers the "describe your need" box: GET, so it is bookmarkable
// and needs no token; without text it shows the empty form.
func (s *Server) needPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	qv := r.URL.Query()
	f := &needForm{Text: strings.TrimSpace(qv.Get("text")), Kind: qv.Get("kind"), TRL: qv.Get("trl"),
		Budget: strings.TrimSpace(qv.Get("budget")), Region: strings.TrimSpace(qv.Get("region"))}
	f.Submitted = f.Text != ""
	d := matchesPageData{HeadingKey: "matches.heading.need", Need: f}
	if !f.Submitted {
		s.render(w, v, http.StatusOK, "matches", d)
		return nil
	}
	if s.matcher == nil {
		s.renderError(w, v, http.StatusServiceUnavailable, "search.unavailable.title", "search.unavailable.body")
		return nil
	}
	need := search.Need{Text: f.Text, Kind: f.Kind, Region: f.Region}
	need.TRL, _ = strconv.Atoi(f.TRL)
	if yuan, err := strconv.ParseInt(strings.ReplaceAll(f.Budget, ",", ""), 10, 64); err == nil && yuan > 0 && yuan < 1<<40 {
		need.PriceMax = yuan * 100
	}
	opt := search.MatchOptions{Limit: 20}
	if qv.Get("group") == search.GroupOrganization {
		opt.Group, d.Grouped = search.GroupOrganization, true
	}
	res, err := s.matcher.ForNeed(r.Context(), need, opt)
	if market.ErrorCode(err) == market.EINVALID {
		d.Error = translate(v.Lang, "matches.need.invalid")
		s.render(w, v, http.StatusBadRequest, "matches", d)
		return nil
	} else if err != nil {
		return err
	}
	base := cloneValues(qv)
	base.Del("group")
	d.ListHref = "/match?" + base.Encode()
	base.Set("group", search.GroupOrganization)
	d.GroupHref = "/match?" + base.Encode()
	fillMatches(v.Lang, &d, res)
	s.render(w, v, http.StatusOK, "matches", d)
	return nil
}

func fillMatches(lang string, d *matchesPageData, res search.MatchResult) {
	for _, m := range res.Matches {
		d.Items = append(d.Items, toMatchView(lang, m))
	}
	for _, g := range res.Organizations {
		ov := orgMatchView{OrgName: g.NameIn(lang), OrgKind: translate(lang, "org.kind."+g.OrgKind), Score: g.Score, Matches: g.Matches}
		for _, m := range g.Best {
			ov.Best = append(ov.Best, toMatchView(lang, m))
		}
		d.Orgs = append(d.Orgs, ov)
	}
}

func toMatchView(lang string, m search.Match) matchView {
	mv := matchView{ID: m.ID, Kind: m.Kind, KindLabel: translate(lang, "search.kind."+m.Kind), Title: m.Title,
		Href: "/" + m.Kind + "s/" + url.PathEscape(m.ID), OrgName: m.OrgNameIn(lang), Score: m.Score, Strong: m.Strong(),
		Facts: listingFacts(lang, m.Document), ScoreLabel: translate(lang, "matches.score")}
	for _, r := range m.Reasons {
		mv.Reasons = append(mv.Reasons, reasonText(lang, r, false))
	}
	for _, r := range m.Gaps {
		mv.Gaps = append(mv.Gaps, reasonText(lang, r, true))
	}
	return mv
}

// reasonText says a reason in lang from its fields (the English Detail is
// for API clients).
func reasonText(lang string, r search.Reason, gap bool) string {
	t := func(key string) string { return translate(lang, "matches.reason."+key) }
	sep := listSep(lang)
	switch r.Kind {
	case search.ReasonText:
		if len(r.Terms) == 0 {
			return t("text.gap")
		}
		return fmt.Sprintf(t("text"), strings.Join(r.Terms, sep), int(100*r.Coverage+0.5))
	case search.ReasonIPC:
		switch {
		case r.Inferred:
			return fmt.Sprintf(t("ipc.inferred"), strings.Join(r.Codes, sep))
		case len(r.Codes) > 0 && len(r.Codes[0]) == 3:
			return fmt.Sprintf(t("ipc.class"), strings.Join(r.Codes, sep))
		}
		return fmt.Sprintf(t("ipc"), strings.Join(r.Codes, sep))
	case search.ReasonField:
		var names []string
		for _, c := range r.Codes {
			names = append(names, fieldName(lang, c))
		}
		if r.Inferred {
			return fmt.Sprintf(t("field.inferred"), strings.Join(names, sep))
		}
		return fmt.Sprintf(t("field"), strings.Join(names, sep))
	case search.ReasonTRL:
		if gap {
			return fmt.Sprintf(t("trl.gap"), r.Have, r.Want)
		}
		return fmt.Sprintf(t("trl"), r.Have, r.Want)
	case search.ReasonPrice:
		have, want := money(r.Have, r.Currency, lang), money(r.Want, r.Currency, lang)
		switch {
		case gap:
			return fmt.Sprintf(t("price.gap"), have, want)
		case r.Points < search.WeightPrice:
			return fmt.Sprintf(t("price.partly"), have, want)
		}
		return fmt.Sprintf(t("price"), have, want)
	case search.ReasonRegion:
		return fmt.Sprintf(t("region"), strings.Join(r.Codes, sep))
	case search.ReasonBridge:
		if len(r.Terms) > 0 {
			return fmt.Sprintf(t("bridge.terms"), strings.Join(r.Terms, sep))
		}
		return fmt.Sprintf(t("bridge"), strings.Join(r.Codes, sep))
	case search.ReasonFreshness:
		switch {
		case gap:
			return t("freshness.gap")
		case r.Days == 0:
			return t("freshness.today")
		}
		return fmt.Sprintf(t("freshness"), r.Days)
	}
	return r.Detail
}

// matchReasonKeys are the catalogue keys reasonText uses, for the test that
// keeps them in the catalogue.
var matchReasonKeys = []string{"text", "ipc", "ipc.class", "ipc.inferred", "field", "field.inferred", "trl", "trl.gap",
	"price", "price.partly", "price.gap", "region", "freshness", "freshness.today", "freshness.gap", "bridge", "bridge.terms"}
