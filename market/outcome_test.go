package market

import (
	"strings"
	"testing"
	"time"
)

func validOutcomeInput() OutcomeInput {
	trl := 5
	return OutcomeInput{ExternalID: "REF-1", Title: "高镍正极材料", Summary: "s", Field: "energy_storage",
		IPC: []string{"H01M 4/525"}, TRL: &trl, IPType: IPInventionPatent, PatentNumbers: []string{"CN114081026A"},
		LegalStatus: LegalGranted, TransferModes: []string{TransferAssignment}, Price: Money{Min: 100, Max: 200}}
}

// TestOutcomeInputNamesEveryBadField: each bad value is reported under its
// own field name, and nothing else is.
func TestOutcomeInputNamesEveryBadField(t *testing.T) {
	zero, ten := 0, 10
	past := listingT0.Add(-48 * time.Hour)
	cases := []struct {
		field string
		edit  func(*OutcomeInput)
	}{
		{"title", func(in *OutcomeInput) { in.Title = "  " }},
		{"title", func(in *OutcomeInput) { in.Title = strings.Repeat("题", MaxTitle+1) }},
		{"summary", func(in *OutcomeInput) { in.Summary = strings.Repeat("x", MaxSummary+1) }},
		{"description", func(in *OutcomeInput) { in.Description = strings.Repeat("x", MaxDescription+1) }},
		{"external_id", func(in *OutcomeInput) { in.ExternalID = strings.Repeat("x", MaxExternalID+1) }},
		{"keywords", func(in *OutcomeInput) { in.Keywords = []string{strings.Repeat("k", MaxKeyword+1)} }},
		{"field", func(in *OutcomeInput) { in.Field = "alchemy" }},
		{"ipc", func(in *OutcomeInput) { in.IPC = []string{"H01M", "not-ipc"} }},
		{"trl", func(in *OutcomeInput) { in.TRL = &zero }},
		{"trl", func(in *OutcomeInput) { in.TRL = &ten }},
		{"ip_type", func(in *OutcomeInput) { in.IPType = "trade_secret" }},
		{"patent_numbers", func(in *OutcomeInput) { in.PatentNumbers = []string{"CN<script>"} }},
		{"legal_status", func(in *OutcomeInput) { in.LegalStatus = "valid" }},
		{"transfer_modes", func(in *OutcomeInput) { in.TransferModes = []string{"sale"} }},
		{"price_min", func(in *OutcomeInput) { in.Price = Money{Min: 300, Max: 200} }},
		{"price_min", func(in *OutcomeInput) { in.Price = Money{Min: -1, Max: 200} }},
		{"currency", func(in *OutcomeInput) { in.Price.Currency = "yuan" }},
		{"confidentiality", func(in *OutcomeInput) { in.Confidentiality = "secret" }},
		{"fresh_until", func(in *OutcomeInput) { in.FreshUntil = &past }},
	}
	for _, c := range cases {
		in := validOutcomeInput()
		c.edit(&in)
		var f Fields
		in.Normalize(&f)
		in.Validate(&f, listingT0)
		if len(f) != 1 || f[0].Field != c.field {
			t.Errorf("%s: fields %+v, want exactly %s", c.field, f, c.field)
		}
	}
	in := validOutcomeInput()
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, listingT0)
	if len(f) != 0 {
		t.Fatalf("valid input refused: %+v", f)
	}
}

func TestOutcomeInputDefaults(t *testing.T) {
	in := OutcomeInput{Title: " 一种驱鸟装置 ", IPC: []string{"a01m", "H02G", "A01M"}, Keywords: []string{" a ", "", "a", "b"}}
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, listingT0)
	if err := f.Err(); err != nil {
		t.Fatal(err)
	}
	if in.Title != "一种驱鸟装置" || in.Field != "agriculture" || in.IPType != IPOther || in.Confidentiality != ConfidentialityPublic ||
		!in.Price.Negotiable || in.Price.Currency != "CNY" || len(in.IPC) != 2 || in.IPC[0] != "A01M" || len(in.Keywords) != 2 {
		t.Fatalf("normalised = %+v", in)
	}
	var o Outcome
	if !in.apply(&o, listingT0) || o.TRL != 0 || !o.FreshUntil.Equal(dateUTC(listingT0.Add(DefaultFreshness))) {
		t.Fatalf("applied = %+v", o)
	}
	if in.apply(&o, listingT0.Add(time.Hour)) {
		t.Fatal("applying the same input again reports a change")
	}
}

func TestScenarioInputChallengeNeedsTerms(t *testing.T) {
	in := ScenarioInput{Kind: ScenarioChallenge, Title: "焊缝检测挑战", Field: "robotics"}
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, listingT0)
	for _, want := range []string{"deadline", "bounty", "criteria"} {
		if !f.Has(want) {
			t.Errorf("challenge without %s accepted: %+v", want, f)
		}
	}
	demand := ScenarioInput{Kind: ScenarioDemand, Title: "d", Field: "robotics", Bounty: 5, MinTRL: 10, Budget: Money{Min: 9, Max: 1}}
	f = nil
	demand.Normalize(&f)
	demand.Validate(&f, listingT0)
	for _, want := range []string{"bounty", "min_trl", "budget_min"} {
		if !f.Has(want) {
			t.Errorf("demand: %s not reported: %+v", want, f)
		}
	}
}
