package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"techbridge/market"
)

// scenarioRow is a scenario as a list shows it.
type scenarioRow struct {
	ID, Kind, Title, Summary, Org, Field, Budget, Bounty, Deadline, Region, Status string
	MinTRL                                                                         int
}

func newScenarioRow(lang string, names *orgNames, sc market.Scenario) scenarioRow {
	r := scenarioRow{ID: sc.ID, Kind: sc.Kind, Title: sc.Title, Summary: firstRunes(sc.Description, 180),
		Org: names.name(sc.OrgID), Field: fieldName(lang, sc.Field), Budget: priceText(lang, sc.Budget),
		Deadline: dateText(sc.Deadline), Region: sc.Region, Status: sc.Status, MinTRL: sc.MinTRL}
	if sc.Bounty > 0 {
		r.Bounty = money(sc.Bounty, sc.Budget.Currency, lang)
	}
	return r
}

// scenarioPages are the scenario pages (see listingPages): demands,
// application scenarios and challenge calls, which other organisations
// answer with proposals.
var scenarioPages = &listingPages[market.Scenario, *market.Scenario, market.ScenarioInput, *market.ScenarioInput, market.ScenarioFilter]{
	kind: market.ScenarioObjectType, mayList: postsScenarios, sorts: market.ScenarioSorts,
	ListingCalls: market.ScenarioCalls,
	detail:       scenarioDetail,
	browse: func(bf browseFilters, lo, hi int, mlo, mhi int64, offset int) market.ScenarioFilter {
		return market.ScenarioFilter{Status: market.ListingPublished, Kind: bf.Kind, Field: bf.Field, TRLMin: lo,
			TRLMax: hi, BudgetMin: mlo, BudgetMax: mhi, Region: bf.Region, Offset: offset, Limit: browsePageSize, Sort: bf.Sort}
	},
	rows: func(lang string, names *orgNames, items []market.Scenario, _ time.Time, p *browsePage) {
		for _, sc := range items {
			p.Scenarios = append(p.Scenarios, newScenarioRow(lang, names, sc))
		}
	},
	browseKeys: browseKeys{TRLMin: "scenarios.filter.trl_min", TRLMax: "scenarios.filter.trl_max",
		MoneyMin: "scenarios.filter.budget_min", MoneyMax: "scenarios.filter.budget_max"},
	readForm: func(r *http.Request) *form { return newForm(r, scenarioFields...) },
	build:    scenarioInput, values: scenarioValues, sections: scenarioSections,
	defaults: map[string]string{"currency": market.DefaultCurrency, "kind": market.ScenarioDemand},
}

// scenarioDetail fills the scenario's part of its detail page: budget,
// bounty, deadline and the way to answer.
func scenarioDetail(s *Server, _ context.Context, v *visit, sc *market.Scenario, p *listingPage) error {
	p.S, p.Title, p.Kicker, p.Keywords = sc, sc.Title, translate(v.Lang, "scenario.kind."+sc.Kind), sc.Keywords
	p.Field, p.Budget, p.Deadline = fieldName(v.Lang, sc.Field), priceText(v.Lang, sc.Budget), dateText(sc.Deadline)
	p.Open = sc.Open(s.svc.Now())
	if sc.Bounty > 0 {
		p.Bounty = money(sc.Bounty, sc.Budget.Currency, v.Lang)
	}
	p.CanAnswer = p.Open && !p.Owner && v.Account != nil
	return nil
}

// scenarioFields are the inputs of the scenario form.
var scenarioFields = []string{"org_id", "version", "kind", "title", "description", "field", "keywords", "ipc", "min_trl",
	"budget_min", "budget_max", "currency", "bounty", "criteria", "deadline", "region"}

// scenarioInput builds a ScenarioInput from the form (see readInput).
func scenarioInput(p *formParser) market.ScenarioInput {
	f := p.f
	return market.ScenarioInput{Kind: f.Value("kind"), Title: f.Value("title"), Description: f.Value("description"),
		Field: f.Value("field"), Keywords: splitList(f.Value("keywords")), IPC: splitList(f.Value("ipc")),
		MinTRL: p.level("min_trl"), Bounty: p.amount("bounty"), Criteria: f.Value("criteria"),
		Deadline: p.date("deadline"), Region: f.Value("region"),
		Budget: market.Money{Min: p.amount("budget_min"), Max: p.amount("budget_max"), Currency: f.Value("currency")}}
}

// scenarioValues fills the form from a stored scenario.
func scenarioValues(sc *market.Scenario) *form {
	f := listingValues(&sc.ListingMeta, map[string]string{"kind": sc.Kind, "title": sc.Title, "description": sc.Description, "field": sc.Field,
		"keywords": joinList(sc.Keywords), "ipc": joinList(sc.IPC), "currency": sc.Budget.Currency,
		"criteria": sc.Criteria, "deadline": dateText(sc.Deadline), "region": sc.Region})
	if sc.MinTRL > 0 {
		f.Values["min_trl"] = strconv.Itoa(sc.MinTRL)
	}
	if sc.Budget.Min > 0 {
		f.Values["budget_min"] = majorAmount(sc.Budget.Min, sc.Budget.Currency)
	}
	if sc.Budget.Max > 0 {
		f.Values["budget_max"] = majorAmount(sc.Budget.Max, sc.Budget.Currency)
	}
	if sc.Bounty > 0 {
		f.Values["bounty"] = majorAmount(sc.Bounty, sc.Budget.Currency)
	}
	return f
}

// scenarioSections lay out the scenario form below the organisation (who).
func scenarioSections(c controls, lang string, who []control) []formSection {
	return []formSection{
		{Legend: translate(lang, "scenario.section.about"), Controls: append(who,
			c.pick("kind", "scenario.field.kind", "", keyedOptions(lang, "scenario.kind.", market.ScenarioKinds), true),
			c.input("text", "title", "listing.field.title", "", true),
			c.area("description", "listing.field.description", "scenario.field.description_hint", 7, false),
			c.input("text", "keywords", "listing.field.keywords", "listing.field.list_hint", false),
			c.input("text", "region", "scenario.field.region", "scenario.field.region_hint", false),
		)},
		technologySection(c, lang, market.ScenarioObjectType, "scenario.field.field_choose", true,
			c.pick("min_trl", "scenario.field.min_trl", "scenario.field.min_trl_any", trlOptions(lang), false)),
		{Legend: translate(lang, "scenario.section.money"), Controls: []control{
			c.input("text", "budget_min", "scenario.field.budget_min", "listing.field.money_hint", false),
			c.input("text", "budget_max", "scenario.field.budget_max", "", false),
			c.input("text", "currency", "listing.field.currency", "", false),
			c.input("date", "deadline", "scenario.field.deadline", "scenario.field.deadline_hint", false),
		}},
		{Legend: translate(lang, "scenario.section.challenge"), Controls: []control{
			c.input("text", "bounty", "scenario.field.bounty", "scenario.field.bounty_hint", false),
			c.area("criteria", "scenario.field.criteria", "", 3, false),
		}},
	}
}
