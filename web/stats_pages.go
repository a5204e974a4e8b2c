package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"techbridge/market"
	"techbridge/market/ledger"
	"techbridge/market/msgs"
)

// Statistics pages (issue 16): the public market page, each visitor's
// dashboard and the commission's statistics. Every chart is server-drawn
// SVG with its numbers in a table beside it and CSV/XLSX downloads of
// the same table, all read from the rollups.

// chartView is one chart as a page shows it.
type chartView struct {
	ID       string
	Title    string
	SVG      template.HTML
	Headings []string
	Rows     [][]string
	Download string // the query string of its downloads
}

// statsPage is the data of the market, dashboard and commission pages.
type statsPage struct {
	Headline *market.StatHeadline
	Charts   []chartView
	Filter   statFilterForm
	Fields   []market.TechField
	Actions  []dashAction
	Listings []listingFunnel
	Lang     string
	Role     string // the dashboard's role heading key
	Links    []accountLink
}

// statFilterForm is the filter as typed, for the form and the downloads.
type statFilterForm struct {
	From, To, Field, Region string
	Query                   string // the filter as a query string
}

// dashAction is one deal that waits for the visitor's side.
type dashAction struct {
	DealID, Subject, Key string
}

// listingFunnel is one of the visitor's listings with its funnel.
type listingFunnel struct {
	ID, Title, Kind string
	Steps           []int64
}

// parseStatFilter reads ?from=&to=&field=&region= (dates, to inclusive).
func parseStatFilter(q url.Values) (market.StatFilter, statFilterForm, error) {
	form := statFilterForm{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Field: strings.TrimSpace(q.Get("field")), Region: strings.TrimSpace(q.Get("region"))}
	f, err := market.ParseStatFilter(form.From, form.To, form.Field, form.Region)
	vals := url.Values{}
	for k, s := range map[string]string{"from": form.From, "to": form.To, "field": form.Field, "region": form.Region} {
		if s != "" {
			vals.Set(k, s)
		}
	}
	form.Query = vals.Encode()
	return f, form, err
}

// marketPage is the public market page: headline figures and the public
// charts.
func (s *Server) marketPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	h, err := s.svc.Headline(r.Context())
	if err != nil {
		return err
	}
	tables, err := s.svc.StatTables(r.Context(), v.Actor, market.StatFilter{}, market.PublicStatTables)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "market", &statsPage{Headline: &h, Charts: s.chartViews(r, v, tables, ""), Lang: v.Lang})
	return nil
}

// commissionStats is the commission's statistics page, with filters.
func (s *Server) commissionStats(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.Actor.IsCommission() {
		return market.Errorf(market.EFORBIDDEN, msgs.StatsCommissionPageOnly)
	}
	f, form, err := parseStatFilter(r.URL.Query())
	if err != nil {
		return err
	}
	tables, err := s.svc.StatTables(r.Context(), v.Actor, f, market.CommissionStatTables)
	if err != nil {
		return err
	}
	funnel, err := s.svc.Funnel(r.Context(), v.Actor, market.ScopeAll, "", f)
	if err != nil {
		return err
	}
	tables = append([]market.StatTable{funnel}, tables...)
	s.render(w, v, http.StatusOK, "statistics", &statsPage{Charts: s.chartViews(r, v, tables, form.Query),
		Filter: form, Fields: market.TechFields, Lang: v.Lang})
	return nil
}

// dashboard is where a visitor lands after logging in: what waits for
// them, their organisation's funnel and their listings' funnels; the
// commission also sees the market's funnel and a way to its statistics.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	p := &statsPage{Lang: v.Lang, Role: "dash.role.member"}
	switch {
	case v.Actor.IsCommission():
		p.Role = "dash.role.commission"
	case v.Actor.IsReviewer():
		p.Role = "dash.role.reviewer"
	case len(v.Actor.Memberships) == 0:
		p.Role = "dash.role.new"
	}
	for _, l := range (view{visit: v}).AccountLinks() {
		if l.Admin || l.Reviewer || l.Registrar {
			p.Links = append(p.Links, l)
		}
	}
	var tables []market.StatTable
	if len(v.Actor.Memberships) > 0 {
		// the newest deals per role: each list walks its own index in id
		// order and stops at the limit, however many deals there are
		for _, role := range []string{market.DealRoleSeller, market.DealRoleBuyer, market.DealRoleIntermediary} {
			deals, err := s.svc.Deals(ctx, v.Actor, market.DealFilter{Role: role, Limit: 10})
			if err != nil {
				return err
			}
			for _, d := range deals {
				if key := waitingFor(d); key != "" {
					p.Actions = append(p.Actions, dashAction{DealID: d.Deal.ID, Subject: d.Subject, Key: key})
				}
			}
		}
		org := v.Actor.Memberships[0].OrgID
		if ids := v.Actor.OrgIDs(); len(ids) > 0 {
			org = ids[0]
		}
		t, err := s.svc.Funnel(ctx, v.Actor, market.ScopeOrg, org, market.StatFilter{})
		if err != nil {
			return err
		}
		t.ID = "funnel_org"
		tables = append(tables, t)
		if bt, err := s.svc.Funnel(ctx, v.Actor, market.ScopeBroker, org, market.StatFilter{}); err == nil && bt.Rows[2].Values[0] > 0 {
			tables = append(tables, bt)
		}
		page, err := s.svc.Outcomes(ctx, v.Actor, market.OutcomeFilter{OrgID: org, Limit: 10})
		if err != nil {
			return err
		}
		for _, o := range page.Items {
			lt, err := s.svc.Funnel(ctx, v.Actor, market.ScopeListing, o.ID, market.StatFilter{})
			if market.ErrorCode(err) == market.ENOTFOUND {
				continue // not counted yet
			}
			if err != nil {
				return err
			}
			lf := listingFunnel{ID: o.ID, Title: o.Title, Kind: market.OutcomeObjectType}
			for _, row := range lt.Rows {
				lf.Steps = append(lf.Steps, row.Values[0])
			}
			p.Listings = append(p.Listings, lf)
		}
	}
	if v.Actor.IsCommission() {
		t, err := s.svc.Funnel(ctx, v.Actor, market.ScopeAll, "", market.StatFilter{})
		if err != nil {
			return err
		}
		tables = append(tables, t)
	}
	p.Charts = s.chartViews(r, v, tables, "")
	s.render(w, v, http.StatusOK, "dashboard", p)
	return nil
}

// waitingFor names what a deal waits for from the viewer's side, "" for
// nothing.
func waitingFor(d market.DealView) string {
	role := d.As.Role
	switch d.Deal.State {
	case market.DealInquiry:
		if role == market.DealRoleSeller {
			return "dash.wait.inquiry"
		}
	case market.DealNDA:
		if role == market.DealRoleBuyer {
			return "dash.wait.nda"
		}
	case market.DealNegotiation:
		if n := len(d.Deal.Offers); n > 0 && d.Deal.Offers[n-1].Status == market.OfferOpen && d.Deal.Offers[n-1].ProposedByOrgID != d.As.OrgID {
			return "dash.wait.offer"
		}
	case market.DealContractDrafted:
		if role == market.DealRoleBuyer || role == market.DealRoleSeller {
			for _, sg := range d.Deal.Signatures {
				if sg.OrgID == d.As.OrgID {
					return ""
				}
			}
			return "dash.wait.sign"
		}
	}
	return ""
}

// chartViews lays out tables as charts with tables and download links.
func (s *Server) chartViews(r *http.Request, v *visit, tables []market.StatTable, query string) []chartView {
	names := s.brokerNames(r, v, tables)
	out := make([]chartView, 0, len(tables))
	for _, t := range tables {
		cv := chartView{ID: t.ID, Title: translate(v.Lang, "stats.chart."+t.ID)}
		cv.Headings = append(cv.Headings, translate(v.Lang, "stats.col.bucket"))
		for _, c := range t.Columns {
			cv.Headings = append(cv.Headings, translate(v.Lang, "stats.col."+c.Key))
		}
		var labels []string
		var series []chartSeries
		for i, c := range t.Columns {
			// chart the counts (the first two), or a table's one column
			if c.Unit == market.UnitCount && len(series) < 2 || i == 0 {
				series = append(series, chartSeries{Name: translate(v.Lang, "stats.col."+c.Key)})
			}
		}
		for _, row := range t.Rows {
			label := bucketLabel(v.Lang, t.ID, row.Label, names)
			labels = append(labels, label)
			cells := []string{label}
			for i, c := range t.Columns {
				cells = append(cells, formatStat(v.Lang, c.Unit, row.Values[i]))
			}
			for i := range series {
				series[i].Values = append(series[i].Values, row.Values[seriesColumn(t, i)])
			}
			cv.Rows = append(cv.Rows, cells)
		}
		if t.Chart == "line" {
			cv.SVG = lineChart(cv.Title, labels, series[:1])
		} else {
			cv.SVG = barChart(cv.Title, labels, series)
		}
		dl := url.Values{}
		if q, err := url.ParseQuery(query); err == nil {
			dl = q
		}
		if strings.HasPrefix(t.ID, "funnel_") {
			dl.Set("scope", strings.TrimPrefix(t.ID, "funnel_"))
			if t.ID == "funnel_org" || t.ID == "funnel_broker" {
				if ids := v.Actor.OrgIDs(); len(ids) > 0 {
					dl.Set("id", ids[0])
				}
			}
		}
		cv.Download = dl.Encode()
		out = append(out, cv)
	}
	return out
}

// seriesColumn is the column of the table the i-th series draws (see
// chartViews: the count columns, or the first).
func seriesColumn(t market.StatTable, i int) int {
	n := 0
	for j, c := range t.Columns {
		if c.Unit == market.UnitCount && n < 2 || j == 0 {
			if n == i {
				return j
			}
			n++
		}
	}
	return 0
}

// brokerNames names the brokers of a brokers table.
func (s *Server) brokerNames(r *http.Request, v *visit, tables []market.StatTable) map[string]string {
	names := map[string]string{}
	for _, t := range tables {
		if t.ID != "brokers" {
			continue
		}
		for _, row := range t.Rows {
			if o, err := s.svc.Organization(r.Context(), v.Actor, row.Label); err == nil {
				names[row.Label] = o.Name(v.Lang)
			}
		}
	}
	return names
}

// bucketLabel is a bucket's label in lang.
func bucketLabel(lang, table, bucket string, names map[string]string) string {
	if bucket == "" {
		return translate(lang, "stats.unknown")
	}
	if n, ok := names[bucket]; ok {
		return n
	}
	if f, ok := market.FieldByCode(bucket); ok && (strings.HasSuffix(table, "_field")) {
		if lang == langEN {
			return f.NameEN
		}
		return f.NameZH
	}
	var key string
	switch {
	case strings.HasSuffix(table, "_trl"):
		return "TRL " + bucket
	case strings.HasSuffix(table, "ip_type"):
		key = "outcome.ip_type." + bucket
	case strings.HasSuffix(table, "_kind"):
		key = "org.kind." + bucket
	case table == "contracts_type":
		key = "deal.contract_type." + bucket
	case table == "deals_state":
		key = "deal.state." + bucket
	default:
		key = "stats.bucket." + bucket
	}
	if _, ok := catalogue[key]; ok {
		return translate(lang, key)
	}
	return bucket
}

// formatStat prints a number in its unit for the page.
func formatStat(lang, unit string, n int64) string {
	switch unit {
	case market.UnitCNY:
		return ledger.Format(n, "CNY", lang)
	case market.UnitBPS:
		return strconv.FormatFloat(float64(n)/100, 'f', 1, 64) + "%"
	case market.UnitSeconds:
		return strconv.FormatFloat(float64(n)/86400, 'f', 1, 64) + translate(lang, "stats.days")
	}
	return strconv.FormatInt(n, 10)
}

// plainStat prints a number for a spreadsheet: amounts in yuan, ratios
// in percent, durations in days, as plain decimals.
func plainStat(unit string, n int64) string {
	switch unit {
	case market.UnitCNY:
		return ledger.Major(n, "CNY")
	case market.UnitBPS:
		return strconv.FormatFloat(float64(n)/100, 'f', 2, 64)
	case market.UnitSeconds:
		return strconv.FormatFloat(float64(n)/86400, 'f', 2, 64)
	}
	return strconv.FormatInt(n, 10)
}

// statDownload answers GET /statistics/{file}: a chart's table as
// <id>.csv (UTF-8 with a BOM, for Excel) or <id>.xlsx, with the page's
// filter; funnels take ?scope= and ?id=. The same checks as the pages
// apply (the service's).
func (s *Server) statDownload(w http.ResponseWriter, r *http.Request, v *visit) error {
	file := r.PathValue("file")
	id, format, _ := strings.Cut(file, ".")
	if format != "csv" && format != "xlsx" {
		return market.Errorf(market.ENOTFOUND, msgs.StatsNoDownload, file)
	}
	f, _, err := parseStatFilter(r.URL.Query())
	if err != nil {
		return err
	}
	var t market.StatTable
	if strings.HasPrefix(id, "funnel_") {
		scope := r.URL.Query().Get("scope")
		if t, err = s.svc.Funnel(r.Context(), v.Actor, scope, r.URL.Query().Get("id"), f); err != nil {
			return err
		}
	} else {
		ts, err := s.svc.StatTables(r.Context(), v.Actor, f, []string{id})
		if err != nil {
			return err
		}
		t = ts[0]
	}
	names := s.brokerNames(r, v, []market.StatTable{t})
	head := []string{translate(v.Lang, "stats.col.bucket")}
	for _, c := range t.Columns {
		head = append(head, translate(v.Lang, "stats.col."+c.Key)+unitSuffix(v.Lang, c.Unit))
	}
	rows := [][]string{head}
	for _, row := range t.Rows {
		cells := []string{bucketLabel(v.Lang, t.ID, row.Label, names)}
		for i, c := range t.Columns {
			cells = append(cells, plainStat(c.Unit, row.Values[i]))
		}
		rows = append(rows, cells)
	}
	return writeTable(w, format, id, rows)
}

// unitSuffix names a download column's unit.
func unitSuffix(lang, unit string) string {
	if slices.Contains([]string{market.UnitCNY, market.UnitBPS, market.UnitSeconds}, unit) {
		return " (" + translate(lang, "stats.unit."+unit) + ")"
	}
	return ""
}

// Money prints CNY minor units in the page's language.
func (p *statsPage) Money(minor int64) string { return ledger.Format(minor, "CNY", p.Lang) }

// Steps are the funnel steps, the columns of the listings' table.
func (p *statsPage) Steps() []string { return market.FunnelSteps }
