package search

import (
	"strings"
	"techbridge/market/msgs"
	"unicode/utf8"

	"techbridge/market"
)

// A subject is what matches are sought for, written as a Document so the
// same scoring compares any two listings. It is built from the listing as
// the caller may see it and is never indexed.

// ScenarioSubject is a scenario of org (nil when unknown) as a match
// subject: its minimum TRL is the TRL to meet, its budget the price range
// to fit.
func ScenarioSubject(s *market.Scenario, org *market.Organization) Document {
	d := ScenarioDocument(s, org)
	d.IPC = normalizedIPC(d.IPC)
	return d
}

// OutcomeSubject is an outcome of org (nil when unknown) as a match
// subject, with its description as given: pass the teaser to callers who
// may not read a confidential description (the index document always
// holds the teaser).
func OutcomeSubject(o *market.Outcome, org *market.Organization) Document {
	d := OutcomeDocument(o, org)
	d.Description = o.Description
	d.IPC = normalizedIPC(d.IPC)
	return d
}

func normalizedIPC(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, NormalizeIPC(c))
	}
	return out
}

// Need is a described need: free text and optional filters, from the
// "describe your need" box. Kind is what is sought (outcomes by default,
// or scenarios for an owner describing what it offers). Field, IPC and
// OrgKind narrow the candidates; Region, TRL, PriceMin, PriceMax and
// Currency describe the asker and only score (regions are free text, so an
// exact filter would miss "上海市" for "上海"): for outcomes TRL and prices
// are the minimum TRL and the budget, for scenarios the asker's TRL and
// asking price.
type Need struct {
	Text     string
	Kind     string // KindOutcome (default) or KindScenario
	Field    string
	IPC      string // an IPC subclass or group prefix
	Region   string
	OrgKind  string
	TRL      int
	PriceMin int64
	PriceMax int64
	Currency string
}

// MaxNeedText bounds the described need, in characters.
const MaxNeedText = 2000

// subject validates a need and turns it into a subject and a filter.
func (n Need) subject() (Document, Query, error) {
	var f market.Fields
	text := strings.TrimSpace(n.Text)
	switch {
	case utf8.RuneCountInString(text) < 2:
		f.Add("text", msgs.DescribeNeedInAtLeast2)
	case utf8.RuneCountInString(text) > MaxNeedText:
		f.Add("text", msgs.AtMostNChars, MaxNeedText)
	}
	want := n.Kind
	if want == "" {
		want = KindOutcome
	}
	if want != KindOutcome && want != KindScenario {
		f.Add("kind", msgs.OutcomeOrScenario)
	}
	if n.Field != "" && !market.ValidField(n.Field) {
		f.Add("field", msgs.UnknownFieldCodeX, n.Field)
	}
	ipc := ""
	if n.IPC != "" {
		code, ok := market.NormalizeIPC(n.IPC)
		if !ok {
			f.Add("ipc", msgs.XNotIPCSubclassOrGroup2, n.IPC)
		}
		ipc = code
	}
	if n.OrgKind != "" && !hasCode(market.OrgKinds, n.OrgKind) {
		f.Add("org_kind", msgs.OneOf, strings.Join(market.OrgKinds, ", "))
	}
	if n.TRL < 0 || n.TRL > 9 {
		f.Add("trl", msgs.OneToNineOrZero)
	}
	if n.PriceMin < 0 {
		f.Add("price_min", msgs.NotNegative)
	}
	if n.PriceMax < 0 {
		f.Add("price_max", msgs.NotNegative)
	}
	if n.PriceMax > 0 && n.PriceMin > n.PriceMax {
		f.Add("price_min", msgs.NotExceedPriceMax)
	}
	cur := strings.ToUpper(strings.TrimSpace(n.Currency))
	if cur == "" {
		cur = market.DefaultCurrency
	}
	if len(cur) != 3 || strings.IndexFunc(cur, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		f.Add("currency", msgs.ISO4217CodeSuchAsCNY)
	}
	if err := f.Err(); err != nil {
		return Document{}, Query{}, err
	}
	kind := KindScenario // the asker stands on the other side
	if want == KindScenario {
		kind = KindOutcome
	}
	d := Document{Kind: kind, Description: text, Field: n.Field, TRL: n.TRL,
		PriceMin: n.PriceMin, PriceMax: n.PriceMax, Currency: cur, Region: strings.TrimSpace(n.Region)}
	if ipc != "" {
		d.IPC = []string{ipc}
	}
	return d, Query{Field: n.Field, IPCPrefix: ipc, OrgKind: n.OrgKind}, nil
}
