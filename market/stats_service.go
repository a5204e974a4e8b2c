package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"techbridge/market/msgs"
)

// Statistics as tables: every chart, download and API answer is a
// StatTable, read from the rollups only (a few rows per bucket and day,
// however many listings and deals there are).

// Column units of a StatTable.
const (
	UnitCount   = "count"
	UnitCNY     = "cny"     // CNY minor units
	UnitBPS     = "bps"     // a ratio in basis points (10000 = 100%)
	UnitSeconds = "seconds" // a duration
)

// StatColumn is one column of numbers.
type StatColumn struct {
	Key  string `json:"key"`
	Unit string `json:"unit"`
}

// StatTableRow is one labelled row; Values follow the table's Columns.
type StatTableRow struct {
	Label  string  `json:"label"`
	Values []int64 `json:"values"`
}

// StatTable is one chart's numbers.
type StatTable struct {
	ID      string         `json:"id"`
	Chart   string         `json:"chart"` // bar or line
	Columns []StatColumn   `json:"columns"`
	Rows    []StatTableRow `json:"rows"`
}

// StatFilter selects a period [From, To) and a slice; "" = any field or
// region.
type StatFilter struct {
	From, To      time.Time
	Field, Region string
	past          bool // To is before tomorrow: stocks as of To, from the daily rows
}

// Public and commission-only statistics.
var (
	PublicStatTables     = []string{"supply_demand_field", "contracts_month", "deals_stage", "contracts_type"}
	CommissionStatTables = []string{"supply_demand_field", "supply_demand_region", "supply_demand_trl", "supply_ip_type",
		"deals_stage", "deals_state", "contracts_month", "contracts_type", "contracts_sub_type", "contracts_field",
		"contracts_region", "contracts_buyer_region", "contracts_buyer_kind", "contracts_seller_kind",
		"contracts_ip_type", "contracts_goal", "cycle", "challenges", "brokers"}
)

// IsCommission reports whether the actor sees every statistic and funnel:
// the admins and the registry ("registrar", the registration workflow's
// platform role).
func (a Actor) IsCommission() bool { return a.IsRegistrar() }

// normalised fills a filter's defaults: the last 365 days to today.
func (f StatFilter) normalised(now time.Time) StatFilter {
	if f.To.IsZero() {
		f.To = StatDay(now).AddDate(0, 0, 1)
	}
	if f.From.IsZero() {
		f.From = f.To.AddDate(-1, 0, 0)
	}
	f.From, f.To = StatDay(f.From), StatDay(f.To)
	f.past = f.To.Before(StatDay(now).AddDate(0, 0, 1))
	return f
}

func (f StatFilter) query(metric, dim string, stock bool) StatQuery {
	q := StatQuery{Metric: metric, Dim: dim, Field: orAll(f.Field), Region: orAll(f.Region), From: f.From, To: f.To}
	if stock { // a stock is every change up to the period's end: as of now, the kept totals
		q.From = time.Time{}
		q.Total = !f.past
	}
	return q
}

// StatTables answers the named tables; commission tables need the
// commission, the public ones are anyone's.
func (s *Service) StatTables(ctx context.Context, a Actor, f StatFilter, ids []string) ([]StatTable, error) {
	for _, id := range ids {
		if !slices.Contains(CommissionStatTables, id) {
			return nil, Errorf(ENOTFOUND, msgs.StatsNoSuchTable, id)
		}
		if !slices.Contains(PublicStatTables, id) && !a.IsCommission() {
			return nil, Errorf(EFORBIDDEN, msgs.StatsCommissionOnly, id)
		}
	}
	f = f.normalised(s.now())
	var out []StatTable
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		seq, err := tx.Cursor(StatsCursor)
		if err != nil {
			return err
		}
		key := fmt.Sprint(ids, f)
		if cached, ok := s.statsCache.get(key, seq); ok {
			out = slices.Clone(cached.([]StatTable))
			return nil
		}
		defer func() {
			if err == nil {
				s.statsCache.put(key, seq, slices.Clone(out))
			}
		}()
		out = out[:0]
		for _, id := range ids {
			t, err := statTable(tx, f, id)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

func statTable(tx Tx, f StatFilter, id string) (StatTable, error) {
	count := StatColumn{"count", UnitCount}
	switch {
	case strings.HasPrefix(id, "supply_demand_"):
		dim := strings.TrimPrefix(id, "supply_demand_")
		sup, err := tx.StatsSum(f.query(StatSupply, dim, true))
		if err != nil {
			return StatTable{}, err
		}
		dem, err := tx.StatsSum(f.query(StatDemand, dim, true))
		if err != nil {
			return StatTable{}, err
		}
		t := StatTable{ID: id, Chart: "bar", Columns: []StatColumn{{"supply", UnitCount}, {"demand", UnitCount}, {"demand_over_supply", UnitCount}}}
		for _, b := range mergeBuckets(sup, dem) {
			sv, dv := find(sup, b).N, find(dem, b).N
			if sv == 0 && dv == 0 {
				continue
			}
			t.Rows = append(t.Rows, StatTableRow{b, []int64{sv, dv, max(0, dv-sv)}})
		}
		return t, nil
	case id == "supply_ip_type":
		return bucketTable(tx, id, f.query(StatSupply, "ip_type", true), count)
	case id == "deals_state":
		return bucketTable(tx, id, f.query(StatDealState, "state", true), count)
	case id == "deals_stage":
		rows, err := tx.StatsSum(f.query(StatDealStage, "stage", false))
		if err != nil {
			return StatTable{}, err
		}
		t := StatTable{ID: id, Chart: "bar", Columns: []StatColumn{{"deals", UnitCount}, {"conversion", UnitBPS}}}
		var prev int64
		for i, st := range DealStages {
			n := find(rows, st).N
			conv := int64(0)
			if i == 0 {
				conv = 10000
			} else if prev > 0 {
				conv = n * 10000 / prev
			}
			t.Rows = append(t.Rows, StatTableRow{st, []int64{n, conv}})
			prev = n
		}
		return t, nil
	case id == "contracts_month":
		pts, err := tx.StatsSeries(f.query(StatContract, "type", false), "")
		if err != nil {
			return StatTable{}, err
		}
		t := StatTable{ID: id, Chart: "line", Columns: []StatColumn{count, {"amount", UnitCNY}, {"income", UnitCNY}}}
		for m := time.Date(f.From.Year(), f.From.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(f.To); m = m.AddDate(0, 1, 0) {
			row := StatTableRow{m.Format("2006-01"), []int64{0, 0, 0}}
			for _, p := range pts {
				if p.Day.Year() == m.Year() && p.Day.Month() == m.Month() {
					row.Values[0] += p.N
					row.Values[1] += p.Amount
					row.Values[2] += p.Income
				}
			}
			t.Rows = append(t.Rows, row)
		}
		return t, nil
	case strings.HasPrefix(id, "contracts_"):
		return bucketTable(tx, id, f.query(StatContract, strings.TrimPrefix(id, "contracts_"), false),
			count, StatColumn{"amount", UnitCNY}, StatColumn{"income", UnitCNY})
	case id == "cycle":
		rows, err := tx.StatsSum(f.query(StatCycle, "all", false))
		if err != nil {
			return StatTable{}, err
		}
		r := find(rows, "all")
		return StatTable{ID: id, Chart: "bar", Columns: []StatColumn{{"signed", UnitCount}, {"average", UnitSeconds}},
			Rows: []StatTableRow{{"inquiry_to_signature", []int64{r.N, avg(r.Amount, r.N)}}}}, nil
	case id == "challenges":
		q := f.query(StatChallenge, "calls", false)
		flows, err := tx.StatsSum(q)
		if err != nil {
			return StatTable{}, err
		}
		stock, err := tx.StatsSum(f.query(StatChallenge, "calls", true))
		if err != nil {
			return StatTable{}, err
		}
		t := StatTable{ID: id, Chart: "bar", Columns: []StatColumn{count}}
		t.Rows = append(t.Rows, StatTableRow{"open", []int64{find(stock, "open").N}})
		for _, b := range []string{"answered", "proposals", "awarded"} {
			t.Rows = append(t.Rows, StatTableRow{b, []int64{find(flows, b).N}})
		}
		return t, nil
	case id == "brokers":
		deals, err := tx.StatsSum(f.query(StatBroker, "deals", false))
		if err != nil {
			return StatTable{}, err
		}
		signed, err := tx.StatsSum(f.query(StatBroker, "signed", false))
		if err != nil {
			return StatTable{}, err
		}
		t := StatTable{ID: id, Chart: "bar", Columns: []StatColumn{{"deals", UnitCount}, {"signed", UnitCount},
			{"conversion", UnitBPS}, {"fees", UnitCNY}, {"average_cycle", UnitSeconds}}}
		for _, b := range mergeBuckets(deals, signed) {
			d, sg := find(deals, b), find(signed, b)
			conv := int64(0)
			if d.N > 0 {
				conv = sg.N * 10000 / d.N
			}
			t.Rows = append(t.Rows, StatTableRow{b, []int64{d.N, sg.N, conv, sg.Amount, avg(sg.Income, sg.N)}})
		}
		return t, nil
	}
	return StatTable{}, Errorf(ENOTFOUND, msgs.StatsNoSuchTable, id)
}

func bucketTable(tx Tx, id string, q StatQuery, cols ...StatColumn) (StatTable, error) {
	rows, err := tx.StatsSum(q)
	if err != nil {
		return StatTable{}, err
	}
	t := StatTable{ID: id, Chart: "bar", Columns: cols}
	for _, r := range rows {
		if r.N == 0 && r.Amount == 0 {
			continue
		}
		vals := []int64{r.N, r.Amount, r.Income}[:len(cols)]
		t.Rows = append(t.Rows, StatTableRow{r.Bucket, vals})
	}
	return t, nil
}

func avg(sum, n int64) int64 {
	if n == 0 {
		return 0
	}
	return sum / n
}

func find(rows []StatRow, bucket string) StatRow {
	for _, r := range rows {
		if r.Bucket == bucket {
			return r
		}
	}
	return StatRow{Bucket: bucket}
}

func mergeBuckets(a, b []StatRow) []string {
	var out []string
	for _, rs := range [][]StatRow{a, b} {
		for _, r := range rs {
			if !slices.Contains(out, r.Bucket) {
				out = append(out, r.Bucket)
			}
		}
	}
	slices.Sort(out)
	return out
}

// StatHeadline is the public page's figures.
type StatHeadline struct {
	Supply, Demand         int64 // published now
	SignedDeals            int64 // deals signed in the last 30 days
	Contracts              int64 // registered in the last 365 days
	ContractAmount, Income int64 // their 成交额 and 技术交易额, CNY minor units
}

// Headline reads the public page's figures.
func (s *Service) Headline(ctx context.Context) (StatHeadline, error) {
	var h StatHeadline
	now := s.now()
	f := StatFilter{}.normalised(now)
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		seq, err := tx.Cursor(StatsCursor)
		if err != nil {
			return err
		}
		key := fmt.Sprint("headline", f)
		if cached, ok := s.statsCache.get(key, seq); ok {
			h = cached.(StatHeadline)
			return nil
		}
		defer func() {
			if err == nil {
				s.statsCache.put(key, seq, h)
			}
		}()
		sum := func(q StatQuery) (StatRow, error) {
			rows, err := tx.StatsSum(q)
			var t StatRow
			for _, r := range rows {
				t.N += r.N
				t.Amount += r.Amount
				t.Income += r.Income
			}
			return t, err
		}
		sup, err := sum(f.query(StatSupply, "field", true))
		if err != nil {
			return err
		}
		dem, err := sum(f.query(StatDemand, "field", true))
		if err != nil {
			return err
		}
		q := f.query(StatDealStage, "stage", false)
		q.From = f.To.AddDate(0, 0, -30)
		signed, err := tx.StatsSum(q)
		if err != nil {
			return err
		}
		con, err := sum(f.query(StatContract, "type", false))
		if err != nil {
			return err
		}
		h = StatHeadline{Supply: sup.N, Demand: dem.N, SignedDeals: find(signed, StageSigned).N,
			Contracts: con.N, ContractAmount: con.Amount, Income: con.Income}
		return nil
	})
	return h, err
}

// Funnel answers a funnel: of a listing (its owner's members), an
// organisation (its members), a broker (its members), or the market
// (ScopeAll); the commission sees every one.
func (s *Service) Funnel(ctx context.Context, a Actor, scope, id string, f StatFilter) (StatTable, error) {
	f = f.normalised(s.now())
	var t StatTable
	err := s.Store.Read(ctx, func(tx Tx) error {
		owner := id
		switch scope {
		case ScopeOrg, ScopeBroker:
		case ScopeAll:
			owner, id = "", ""
		case ScopeListing:
			l, err := tx.StatsListing(id)
			if err != nil {
				return err
			}
			if l == nil {
				return Errorf(ENOTFOUND, msgs.StatsNoListing, id)
			}
			owner = l.OrgID
		default:
			return Errorf(EINVALID, msgs.StatsScope)
		}
		if !a.IsCommission() && (owner == "" || !a.MemberOf(owner)) {
			if scope == ScopeListing {
				return Errorf(ENOTFOUND, msgs.StatsNoListing, id)
			}
			return Errorf(EFORBIDDEN, msgs.StatsFunnelMembersOnly)
		}
		steps, err := tx.StatsFunnel(scope, id, f.From, f.To)
		if err != nil {
			return err
		}
		t = funnelTable(scope, steps)
		return nil
	})
	return t, err
}

// funnelTable lays out a funnel's steps with the conversion from the step
// before.
func funnelTable(scope string, steps map[string]int64) StatTable {
	t := StatTable{ID: "funnel_" + scope, Chart: "bar", Columns: []StatColumn{{"count", UnitCount}, {"conversion", UnitBPS}}}
	var prev int64 = -1
	for _, st := range FunnelSteps {
		n := steps[st]
		conv := int64(0)
		if prev > 0 {
			conv = n * 10000 / prev
		}
		if st == StepDetail { // loads are not a step after visitors: no conversion
			conv = 0
		} else {
			prev = n
		}
		t.Rows = append(t.Rows, StatTableRow{st, []int64{n, conv}})
	}
	return t
}

// ParseStatFilter reads a filter as pages and the API take it: dates
// YYYY-MM-DD (to inclusive), a field of the taxonomy, a region (a name
// or a GB/T 2260 code, counted by province).
func ParseStatFilter(from, to, field, region string) (StatFilter, error) {
	var f StatFilter
	var errs Fields
	if from != "" {
		d, err := time.Parse(time.DateOnly, from)
		if err != nil {
			errs.Add("from", msgs.DateYYYYMMDD)
		}
		f.From = d
	}
	if to != "" {
		d, err := time.Parse(time.DateOnly, to)
		if err != nil {
			errs.Add("to", msgs.DateYYYYMMDD)
		}
		f.To = d.AddDate(0, 0, 1)
	}
	if field != "" && !ValidField(field) {
		errs.Add("field", msgs.StatsFieldOfTaxonomy)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		errs.Add("to", msgs.StatsNotBeforeFrom)
	}
	f.Field, f.Region = field, StatRegion(region)
	return f, errs.Err()
}

// statCache keeps statistics answers by the rollups' position: they
// change only when the consumer moves its cursor, so an answer computed
// at the same position (and for the same days) is current, and a page
// costs one cursor read until the next batch. Funnels are not kept (view
// counts are flushed without moving the cursor). At most statCacheSize
// answers; a full cache starts afresh.
type statCache struct {
	mu sync.Mutex
	m  map[string]statCached
}

type statCached struct {
	seq int64
	v   any
}

const statCacheSize = 512

func (c *statCache) get(key string, seq int64) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e.v, ok && e.seq == seq
}

func (c *statCache) put(key string, seq int64, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= statCacheSize {
		c.m = map[string]statCached{}
	}
	c.m[key] = statCached{seq, v}
}
