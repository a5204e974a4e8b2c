package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"techbridge/market"
)

// browsePageSize is how many listings a browse page shows.
const browsePageSize = 20

// outcomeRow is an outcome as a list shows it.
type outcomeRow struct {
	ID, Title, Summary, Org, Field, Price, Status, Updated string
	TRL                                                    int
	Confidential, Stale                                    bool
}

func newOutcomeRow(lang string, names *orgNames, o market.Outcome, now time.Time) outcomeRow {
	return outcomeRow{ID: o.ID, Title: o.Title, Summary: firstRunes(o.Summary, 180), Org: names.name(o.OrgID),
		Field: fieldName(lang, o.Field), Price: priceText(lang, o.Price), Status: o.Status,
		Updated: o.UpdatedAt.UTC().Format(time.DateOnly), TRL: o.TRL, Confidential: o.Confidential(), Stale: o.Stale(now)}
}

// outcomePages are the outcome pages (see listingPages): confidential
// outcomes show their teaser, and visitors who may buy inquire from the
// detail page.
var outcomePages = &listingPages[market.Outcome, *market.Outcome, market.OutcomeInput, *market.OutcomeInput, market.OutcomeFilter]{
	kind: market.OutcomeObjectType, mayList: listsOutcomes, sorts: market.OutcomeSorts,
	ListingCalls: market.OutcomeCalls,
	detail:       outcomeDetail,
	browse: func(bf browseFilters, lo, hi int, mlo, mhi int64, offset int) market.OutcomeFilter {
		return market.OutcomeFilter{Status: market.ListingPublished, Field: bf.Field, TRLMin: lo, TRLMax: hi,
			PriceMin: mlo, PriceMax: mhi, Region: bf.Region, Offset: offset, Limit: browsePageSize, Sort: bf.Sort}
	},
	rows: func(lang string, names *orgNames, items []market.Outcome, now time.Time, p *browsePage) {
		for _, o := range items {
			p.Outcomes = append(p.Outcomes, newOutcomeRow(lang, names, o, now))
		}
	},
	browseKeys: browseKeys{TRLMin: "listing.browse.trl_min", TRLMax: "listing.browse.trl_max",
		MoneyMin: "outcomes.filter.price_min", MoneyMax: "outcomes.filter.price_max"},
	readForm: outcomeForm, build: outcomeInput, values: outcomeValues, sections: outcomeSections,
	defaults: map[string]string{"currency": market.DefaultCurrency, "ip_type": market.IPInventionPatent,
		"confidentiality": market.ConfidentialityPublic},
}

// outcomeDetail fills the outcome's part of its detail page: price,
// freshness, the teaser note and the way to inquire.
func outcomeDetail(s *Server, ctx context.Context, v *visit, o *market.Outcome, p *listingPage) error {
	roles := market.ListingRoles{Owner: p.Owner, Reviewer: p.Reviewer}
	p.O, p.Title, p.Kicker, p.Keywords = o, o.Title, translate(v.Lang, "outcome.kicker"), o.Keywords
	p.Field, p.Price = fieldName(v.Lang, o.Field), priceText(v.Lang, o.Price)
	p.FreshUntil, p.Stale = dateText(&o.FreshUntil), o.Stale(s.svc.Now())
	p.Teaser = o.Confidential() && !roles.Owner && !roles.Reviewer && o.Description == "" && len(o.PatentNumbers) == 0
	p.CanInquire = !roles.Owner && o.Status == market.ListingPublished
	if !p.CanInquire || v.Account == nil {
		return nil
	}
	buyers, err := s.myOrgs(ctx, v, func(org *market.Organization) bool { return buysOutcomes(org) && org.ID != o.OrgID })
	if err != nil {
		return err
	}
	p.CanBuy = len(buyers) > 0
	deals, err := s.openDeals(ctx, v, market.DealFromOutcome)
	if err != nil {
		return err
	}
	if id, ok := deals[o.ID]; ok {
		p.DealHref = "/deals/" + id
	}
	return nil
}

// outcomeFields are the inputs of the outcome form.
var outcomeFields = []string{"org_id", "version", "external_id", "title", "summary", "description", "keywords", "field",
	"ipc", "trl", "ip_type", "patent_numbers", "legal_status", "transfer_modes", "price_min", "price_max", "currency",
	"confidentiality", "fresh_until"}

// outcomeForm reads the posted outcome form.
func outcomeForm(r *http.Request) *form {
	f := newForm(r, outcomeFields...)
	f.Values["transfer_modes"] = strings.Join(r.PostForm["transfer_modes"], ",")
	return f
}

// outcomeInput builds an OutcomeInput from the form (see readInput).
func outcomeInput(p *formParser) market.OutcomeInput {
	f := p.f
	in := market.OutcomeInput{ExternalID: f.Value("external_id"), Title: f.Value("title"), Summary: f.Value("summary"),
		Description: f.Value("description"), Keywords: splitList(f.Value("keywords")), Field: f.Value("field"),
		IPC: splitList(f.Value("ipc")), IPType: f.Value("ip_type"), PatentNumbers: splitList(f.Value("patent_numbers")),
		LegalStatus: f.Value("legal_status"), TransferModes: splitList(f.Value("transfer_modes")),
		Confidentiality: f.Value("confidentiality"), FreshUntil: p.date("fresh_until"),
		Price: market.Money{Min: p.amount("price_min"), Max: p.amount("price_max"), Currency: f.Value("currency")}}
	if n := p.level("trl"); n > 0 {
		in.TRL = &n
	}
	return in
}

// outcomeValues fills the form from a stored outcome, for editing.
func outcomeValues(o *market.Outcome) *form {
	f := listingValues(&o.ListingMeta, map[string]string{"external_id": o.ExternalID, "title": o.Title, "summary": o.Summary, "description": o.Description,
		"keywords": joinList(o.Keywords), "field": o.Field, "ipc": joinList(o.IPC), "ip_type": o.IPType,
		"patent_numbers": joinList(o.PatentNumbers), "legal_status": o.LegalStatus,
		"transfer_modes": strings.Join(o.TransferModes, ","), "currency": o.Price.Currency,
		"confidentiality": o.Confidentiality, "fresh_until": dateText(&o.FreshUntil)})
	if o.TRL > 0 {
		f.Values["trl"] = strconv.Itoa(o.TRL)
	}
	if !o.Price.Negotiable {
		if o.Price.Min > 0 {
			f.Values["price_min"] = majorAmount(o.Price.Min, o.Price.Currency)
		}
		if o.Price.Max > 0 {
			f.Values["price_max"] = majorAmount(o.Price.Max, o.Price.Currency)
		}
	}
	return f
}

// outcomeSections lay out the outcome form below the organisation (who).
func outcomeSections(c controls, lang string, who []control) []formSection {
	return []formSection{
		{Legend: translate(lang, "outcome.section.about"), Controls: append(who,
			c.input("text", "title", "listing.field.title", "", true),
			c.area("summary", "outcome.field.summary", "outcome.field.summary_hint", 3, false),
			c.area("description", "listing.field.description", "outcome.field.description_hint", 7, false),
			c.input("text", "keywords", "listing.field.keywords", "listing.field.list_hint", false),
		)},
		technologySection(c, lang, market.OutcomeObjectType, "outcome.field.field_from_ipc", false,
			c.pick("trl", "outcome.field.trl", "outcome.field.trl_unstated", trlOptions(lang), false)),
		{Legend: translate(lang, "outcome.section.ip"), Controls: []control{
			c.pick("ip_type", "outcome.field.ip_type", "", keyedOptions(lang, "outcome.ip_type.", market.IPTypes), false),
			c.pick("legal_status", "outcome.field.legal_status", "outcome.field.legal_unstated", keyedOptions(lang, "outcome.legal.", market.LegalStatuses), false),
			c.input("text", "patent_numbers", "outcome.field.patent_numbers", "listing.field.list_hint", false),
			c.input("text", "external_id", "outcome.field.external_id", "outcome.field.external_id_hint", false),
		}},
		{Legend: translate(lang, "outcome.section.terms"), Controls: []control{
			c.checks("transfer_modes", "outcome.field.transfer_modes", keyedOptions(lang, "outcome.mode.", market.TransferModes)),
			c.input("text", "price_min", "outcome.field.price_min", "listing.field.money_hint", false),
			c.input("text", "price_max", "outcome.field.price_max", "", false),
			c.input("text", "currency", "listing.field.currency", "", false),
			c.pick("confidentiality", "outcome.field.confidentiality", "", keyedOptions(lang, "outcome.confidentiality.", market.Confidentialities), false),
			c.input("date", "fresh_until", "outcome.field.fresh_until", "outcome.field.fresh_until_hint", false),
		}},
	}
}
