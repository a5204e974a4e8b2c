package search

import (
	"strings"

	"techbridge/market"
)

// Listing → Document conversion. Only what the public may read goes into
// the index: the engines answer anonymous queries straight from it, so a
// confidential outcome contributes its teaser and never its description,
// patent numbers or the owner's reference.

// Indexable reports whether a listing in status belongs in the index.
func Indexable(status string) bool { return status == market.ListingPublished }

// OutcomeDocument converts an outcome of org (nil when unknown) into the
// document the engines index.
func OutcomeDocument(o *market.Outcome, org *market.Organization) Document {
	t := o.Teaser() // a copy; the public part only for a confidential outcome
	d := Document{
		ID:            t.ID,
		Kind:          KindOutcome,
		ExternalID:    t.ExternalID,
		OrgID:         t.OrgID,
		Title:         t.Title,
		Summary:       t.Summary,
		Description:   t.Description,
		Keywords:      cloneStrings(t.Keywords),
		Field:         t.Field,
		IPC:           cloneStrings(t.IPC),
		TRL:           t.TRL,
		TransferModes: cloneStrings(t.TransferModes),
		Version:       t.Version,
		FreshUntil:    t.FreshUntil,
	}
	d.TitleAlt, d.SummaryAlt = t.TitleAlt, t.SummaryAlt
	d.Langs = cloneStrings(t.Languages)
	if len(d.Langs) == 0 {
		d.Langs = Languages(d)
	}
	d.PriceMin, d.PriceMax, d.Currency = priceOf(t.Price)
	if t.PublishedAt != nil {
		d.PublishedAt = t.PublishedAt.UTC()
	}
	if org != nil {
		// An outcome is where its institution is.
		d.OrgKind, d.OrgName, d.OrgNameEN, d.Region = org.Kind, org.Name("zh"), org.NameEN, org.Region
	}
	return d
}

// ScenarioDocument converts a scenario of org (nil when unknown) into the
// document the engines index. Challenge criteria are searchable text too.
func ScenarioDocument(s *market.Scenario, org *market.Organization) Document {
	desc := s.Description
	if c := strings.TrimSpace(s.Criteria); c != "" {
		desc = strings.TrimSpace(desc + "\n\n" + c)
	}
	d := Document{
		ID:           s.ID,
		Kind:         KindScenario,
		OrgID:        s.OrgID,
		Title:        s.Title,
		Description:  desc,
		Keywords:     cloneStrings(s.Keywords),
		Field:        s.Field,
		IPC:          cloneStrings(s.IPC),
		TRL:          s.MinTRL,
		ScenarioKind: s.Kind,
		Region:       s.Region,
		Version:      s.Version,
	}
	d.TitleAlt, d.SummaryAlt = s.TitleAlt, s.SummaryAlt
	d.Langs = cloneStrings(s.Languages)
	if len(d.Langs) == 0 {
		d.Langs = Languages(d)
	}
	d.PriceMin, d.PriceMax, d.Currency = priceOf(s.Budget)
	if s.PublishedAt != nil {
		d.PublishedAt = s.PublishedAt.UTC()
	}
	if s.Deadline != nil {
		d.Deadline = s.Deadline.UTC()
	}
	if org != nil {
		d.OrgKind, d.OrgName, d.OrgNameEN = org.Kind, org.Name("zh"), org.NameEN
		if d.Region == "" {
			d.Region = org.Region // a scenario without its own site is where its poster is
		}
	}
	return d
}

// Languages detects the languages of a listing that states none (one
// stored before languages were recorded): its title's, or its other text's
// when the title has no letters, plus the other language when it has an
// other-language title or summary.
func Languages(d Document) []string {
	for _, text := range []string{d.Title, d.Summary + " " + d.Description + " " + strings.Join(d.Keywords, " ")} {
		if l := market.DetectLanguage(text); l != "" {
			if alt := market.DetectLanguage(d.TitleAlt + " " + d.SummaryAlt); alt != "" && alt != l {
				return []string{market.LangZH, market.LangEN}
			}
			return []string{l}
		}
	}
	return nil
}

// priceOf maps a money range to the document's; negotiable means no figure,
// which filters treat as "no price".
func priceOf(m market.Money) (lo, hi int64, currency string) {
	if m.Negotiable {
		return 0, 0, m.Currency
	}
	return m.Min, m.Max, m.Currency
}

func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append([]string(nil), s...)
}
