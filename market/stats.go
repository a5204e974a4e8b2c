package market

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Market statistics (issue 16). The statistics consumer follows the event
// log (StatsConsumer) and keeps daily rollups (stats_daily) and funnels
// (stats_funnel), so that no dashboard reads the listings or deals. What
// it last counted for each listing and deal is kept beside them
// (StatListing, StatDeal): an event moves the object from its old buckets
// to its new ones, so replaying or reordering nothing can count twice.

// StatsCursor is the statistics consumer's position in the event log.
const StatsCursor = "stats"

// StatsContractRegistered is the payload of the registry's
// EventContractRegistered (registration_service.go, object type "deal"), as agreed with the
// registration workflow; amounts are minor units of Currency.
type StatsContractRegistered struct {
	ContractType       string `json:"contract_type"`
	SubType            string `json:"sub_type"`
	TechField          string `json:"tech_field"`
	IPType             string `json:"ip_type"`
	SocioEconomicGoal  string `json:"socio_economic_goal"`
	BuyerRegion        string `json:"buyer_region"`
	SellerRegion       string `json:"seller_region"`
	BuyerKind          string `json:"buyer_kind"`
	SellerKind         string `json:"seller_kind"`
	IntermediaryOrgID  string `json:"intermediary_org_id"`
	Currency           string `json:"currency"`
	TotalAmount        int64  `json:"total_amount"`
	TechnicalIncome    int64  `json:"technical_income"`
	RegistrationNumber string `json:"registration_number"`
	// the dates are not counted; any JSON form of them is accepted
	RegisteredOn any `json:"registered_on"`
	SignedOn     any `json:"signed_on"`
}

// Rollup metrics (stats_daily.metric). Stocks are kept as daily changes of
// ±1 and read as their sum up to a day; the others are flows.
const (
	StatSupply    = "supply"     // stock: published outcomes; dims field, region, trl, ip_type
	StatDemand    = "demand"     // stock: published scenarios; dims field, region, trl
	StatDealState = "deal_state" // stock: deals per state; dim state
	StatDealStage = "deal_stage" // flow: deals reaching a stage; dim stage
	StatContract  = "contract"   // flow: registered contracts with 成交额 and 技术交易额
	StatCycle     = "cycle"      // flow: signed deals, amount = seconds from inquiry to signature
	StatChallenge = "challenge"  // challenge calls: open (stock), answered, proposals, awarded (flows)
	StatBroker    = "broker"     // per broker: deals joined, signed (amount = fees, income = cycle seconds)
)

// Contract dims (StatContract).
var StatContractDims = []string{"type", "sub_type", "field", "region", "buyer_region", "buyer_kind", "seller_kind", "ip_type", "goal"}

// Deal stages in funnel order (StatDealStage buckets).
const (
	StageInquiry   = "inquiry"
	StageAccepted  = "accepted" // the seller answered the inquiry
	StageNDA       = "nda"
	StageOffer     = "offer"
	StageDrafted   = "drafted"
	StageSigned    = "signed"
	StageCompleted = "completed"
)

// DealStages lists the stages in order.
var DealStages = []string{StageInquiry, StageAccepted, StageNDA, StageOffer, StageDrafted, StageSigned, StageCompleted}

// Funnel steps (stats_funnel.step) and scopes.
const (
	StepView    = "view"   // visitors of the detail page, deduplicated per visitor and day
	StepDetail  = "detail" // detail page loads
	StepInquiry = StageInquiry
	StepNDA     = StageNDA
	StepOffer   = StageOffer
	StepSigned  = StageSigned

	ScopeListing = "listing"
	ScopeOrg     = "org"
	ScopeBroker  = "broker"
	ScopeAll     = "all" // the whole market, scope id ""
)

// FunnelSteps lists the steps in order.
var FunnelSteps = []string{StepView, StepDetail, StepInquiry, StepNDA, StepOffer, StepSigned}

// StatAll is the '*' of the field and region slices: the whole market.
const StatAll = "*"

// StatDelta is one change to one rollup row.
type StatDelta struct {
	Metric, Dim, Field, Region string
	Day                        time.Time
	Bucket                     string
	N, Amount, Income          int64
}

// FunnelDelta is one change to one funnel row.
type FunnelDelta struct {
	Scope, ScopeID string
	Day            time.Time
	Step           string
	N              int64
}

// StatListing is what the consumer last counted for a listing.
type StatListing struct {
	ID, Kind, OrgID        string
	Live                   bool
	Field, Region, TRL, IP string
	Challenge              bool
	Answered, Awarded      bool
}

// StatDeal is what the consumer last counted for a deal.
type StatDeal struct {
	ID, ListingID, OwnerOrg, BrokerOrg string
	Field, Region                      string
	State                              string
	Reached                            []string
	Registered                         bool
}

// StatQuery selects rollup rows: one metric and dim in a slice (field and
// region, StatAll for any) over days [From, To); a zero From is the
// beginning.
type StatQuery struct {
	Metric, Dim   string
	Field, Region string
	From, To      time.Time
	// Total reads the sums over all days (stats_totals) instead: a stock
	// as of now, From and To unused.
	Total bool
}

// StatRow is one bucket's sums.
type StatRow struct {
	Bucket            string
	N, Amount, Income int64
}

// StatPoint is one day's sums of a metric and dim, over every bucket or
// one.
type StatPoint struct {
	Day               time.Time
	N, Amount, Income int64
}

// StatsTx keeps the rollups.
type StatsTx interface {
	// StatsAdvance moves the statistics cursor from `from` to `to`; an
	// ECONFLICT when it is no longer at from (another run counted those
	// events), so the caller's transaction rolls back.
	StatsAdvance(from, to int64) error
	// StatsAdd adds the deltas to their rows (rows at zero are kept).
	StatsAdd(d []StatDelta) error
	StatsFunnelAdd(d []FunnelDelta) error
	// StatsListing and StatsDeal return nil, nil for an object not counted yet.
	StatsListing(id string) (*StatListing, error)
	PutStatsListing(l StatListing) error
	StatsDeal(id string) (*StatDeal, error)
	PutStatsDeal(d StatDeal) error
	// StatsSum sums the selected rows per bucket.
	StatsSum(q StatQuery) ([]StatRow, error)
	// StatsSeries sums the selected rows per day, of one bucket or ("") all.
	StatsSeries(q StatQuery, bucket string) ([]StatPoint, error)
	// StatsFunnel sums a scope's steps over [from, to).
	StatsFunnel(scope, scopeID string, from, to time.Time) (map[string]int64, error)
}

// StatDay is the UTC day of t.
func StatDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StatRegion is the region bucket of a free-text region or a GB/T 2260
// code: a 6-digit code gives its province ("310115" → "310000"), a text its
// first part ("上海市 / 张江科学城" → "上海市"); "" when none.
func StatRegion(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 6 && strings.Trim(s, "0123456789") == "" {
		return s[:2] + "0000"
	}
	if i := strings.IndexAny(s, "/／,，"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// fan writes d for the whole market, its field, its region and both, so
// a page filtered by either reads only its slice.
func fan(out []StatDelta, d StatDelta, field, region string) []StatDelta {
	cuts := [][2]string{{StatAll, StatAll}}
	if field != StatAll {
		cuts = append(cuts, [2]string{field, StatAll})
	}
	if region != StatAll {
		cuts = append(cuts, [2]string{StatAll, region})
	}
	if field != StatAll && region != StatAll {
		cuts = append(cuts, [2]string{field, region})
	}
	for _, fr := range cuts {
		d.Field, d.Region = fr[0], fr[1]
		out = append(out, d)
	}
	return out
}

// listingDeltas moves a listing from what was counted (old, nil for
// none) to its state now, on day.
func listingDeltas(old *StatListing, now StatListing, day time.Time) []StatDelta {
	var out []StatDelta
	add := func(l StatListing, sign int64) {
		metric := StatSupply
		dims := [][2]string{{"field", l.Field}, {"region", l.Region}, {"trl", l.TRL}, {"ip_type", l.IP}}
		if l.Kind == ScenarioObjectType {
			metric, dims = StatDemand, dims[:3]
		}
		for _, dm := range dims {
			out = fan(out, StatDelta{Metric: metric, Dim: dm[0], Day: day, Bucket: dm[1], N: sign}, orAll(l.Field), orAll(l.Region))
		}
		if l.Challenge {
			out = fan(out, StatDelta{Metric: StatChallenge, Dim: "calls", Day: day, Bucket: "open", N: sign}, orAll(l.Field), orAll(l.Region))
		}
	}
	if old != nil && old.Live {
		add(*old, -1)
	}
	if now.Live {
		add(now, +1)
	}
	if now.Challenge && now.Awarded && (old == nil || !old.Awarded) {
		out = fan(out, StatDelta{Metric: StatChallenge, Dim: "calls", Day: day, Bucket: "awarded", N: 1}, orAll(now.Field), orAll(now.Region))
	}
	return out
}

// orAll keeps an empty slice value out of the slices (it is still a bucket).
func orAll(s string) string {
	if s == "" {
		return StatAll
	}
	return s
}

// statListingOf is what counts of an outcome or scenario; region is the
// owner's when the listing names none.
func statListingOf(o *Outcome, s *Scenario, ownerRegion string) StatListing {
	if o != nil {
		trl := ""
		if o.TRL > 0 {
			trl = strconv.Itoa(o.TRL)
		}
		return StatListing{ID: o.ID, Kind: OutcomeObjectType, OrgID: o.OrgID, Live: o.Status == ListingPublished,
			Field: o.Field, Region: StatRegion(ownerRegion), TRL: trl, IP: o.IPType}
	}
	trl := ""
	if s.MinTRL > 0 {
		trl = strconv.Itoa(s.MinTRL)
	}
	region := s.Region
	if strings.TrimSpace(region) == "" {
		region = ownerRegion
	}
	return StatListing{ID: s.ID, Kind: ScenarioObjectType, OrgID: s.OrgID, Live: s.Status == ListingPublished,
		Field: s.Field, Region: StatRegion(region), TRL: trl, Challenge: s.Kind == ScenarioChallenge,
		Awarded: s.Status == ListingAwarded}
}

// dealReached lists the stages d has reached, in order.
func dealReached(d *Deal) []string {
	out := []string{StageInquiry}
	switch d.State {
	case DealInquiry, DealDeclined:
	case DealCancelled, DealExpired:
		// closed before signing: what it reached shows in its offers and NDA
		if d.NDAAcceptance != nil || len(d.Offers) > 0 || d.Contract != nil {
			out = append(out, StageAccepted)
		}
	default:
		out = append(out, StageAccepted)
	}
	if d.NDAAcceptance != nil {
		out = append(out, StageNDA)
	}
	if len(d.Offers) > 0 {
		out = append(out, StageOffer)
	}
	if d.Contract != nil {
		out = append(out, StageDrafted)
	}
	if !d.SignedAt.IsZero() {
		out = append(out, StageSigned)
	}
	if d.State == DealCompleted {
		out = append(out, StageCompleted)
	}
	return out
}

// brokerOf is the deal's intermediary organisation once it takes part.
func brokerOf(d *Deal) string {
	if d.Intermediary != nil && d.Intermediary.Active() {
		return d.Intermediary.OrgID
	}
	return ""
}

// funnelStep maps a stage to its funnel step ("" when not a step).
func funnelStep(stage string) string {
	switch stage {
	case StageInquiry, StageNDA, StageOffer, StageSigned:
		return stage
	}
	return ""
}

// dealDeltas moves a deal from what was counted (old, nil for none) to
// its state now, on day: its state stock, the stages it newly reached,
// its funnel steps (listing, owner, broker, market) and, when it was just
// signed, its cycle time and broker figures.
func dealDeltas(old *StatDeal, now StatDeal, d *Deal, day time.Time) ([]StatDelta, []FunnelDelta) {
	var out []StatDelta
	var fun []FunnelDelta
	f, r := orAll(now.Field), orAll(now.Region)
	if old != nil && old.State != now.State {
		out = fan(out, StatDelta{Metric: StatDealState, Dim: "state", Day: day, Bucket: old.State, N: -1}, orAll(old.Field), orAll(old.Region))
	}
	if old == nil || old.State != now.State {
		out = fan(out, StatDelta{Metric: StatDealState, Dim: "state", Day: day, Bucket: now.State, N: 1}, f, r)
	}
	var had []string
	if old != nil {
		had = old.Reached
	}
	scopes := func(broker string) [][2]string {
		s := [][2]string{{ScopeListing, now.ListingID}, {ScopeOrg, now.OwnerOrg}, {ScopeAll, ""}}
		if broker != "" {
			s = append(s, [2]string{ScopeBroker, broker})
		}
		return s
	}
	newBroker := now.BrokerOrg != "" && (old == nil || old.BrokerOrg == "")
	for _, st := range now.Reached {
		fresh := !slices.Contains(had, st)
		if fresh {
			out = fan(out, StatDelta{Metric: StatDealStage, Dim: "stage", Day: day, Bucket: st, N: 1}, f, r)
		}
		step := funnelStep(st)
		if step == "" {
			continue
		}
		if fresh {
			for _, sc := range scopes(now.BrokerOrg) {
				fun = append(fun, FunnelDelta{Scope: sc[0], ScopeID: sc[1], Day: day, Step: step, N: 1})
			}
		} else if newBroker { // a broker joining late is credited with what the deal reached before
			fun = append(fun, FunnelDelta{Scope: ScopeBroker, ScopeID: now.BrokerOrg, Day: day, Step: step, N: 1})
		}
	}
	if newBroker {
		out = fan(out, StatDelta{Metric: StatBroker, Dim: "deals", Day: day, Bucket: now.BrokerOrg, N: 1}, f, r)
	}
	if slices.Contains(now.Reached, StageSigned) && !slices.Contains(had, StageSigned) && d != nil {
		secs := int64(d.SignedAt.Sub(d.CreatedAt) / time.Second)
		out = fan(out, StatDelta{Metric: StatCycle, Dim: "all", Day: day, Bucket: "all", N: 1, Amount: secs}, f, r)
		if now.BrokerOrg != "" {
			var fee int64
			if d.Contract != nil && d.Contract.IntermediaryFee != nil && d.Contract.Terms.Currency == "CNY" {
				fee = d.Contract.IntermediaryFee.Total(d.Contract.Terms.Price)
			}
			out = fan(out, StatDelta{Metric: StatBroker, Dim: "signed", Day: day, Bucket: now.BrokerOrg, N: 1, Amount: fee, Income: secs}, f, r)
		}
	}
	return out, fun
}

// contractDeltas counts a registered contract: every dim, with 成交额 and
// 技术交易额 in CNY (other currencies count but add no amount). The slice
// is its technology field and the seller's region.
func contractDeltas(p StatsContractRegistered, day time.Time) []StatDelta {
	amount, income := p.TotalAmount, p.TechnicalIncome
	if p.Currency != "CNY" {
		amount, income = 0, 0
	}
	buckets := map[string]string{"type": p.ContractType, "sub_type": p.SubType, "field": p.TechField,
		"region": StatRegion(p.SellerRegion), "buyer_region": StatRegion(p.BuyerRegion), "buyer_kind": p.BuyerKind,
		"seller_kind": p.SellerKind, "ip_type": p.IPType, "goal": p.SocioEconomicGoal}
	var out []StatDelta
	for _, dim := range StatContractDims {
		out = fan(out, StatDelta{Metric: StatContract, Dim: dim, Day: day, Bucket: buckets[dim], N: 1, Amount: amount, Income: income},
			orAll(p.TechField), orAll(StatRegion(p.SellerRegion)))
	}
	return out
}

// parseContractRegistered reads the event's payload.
func parseContractRegistered(raw json.RawMessage) (StatsContractRegistered, error) {
	var p StatsContractRegistered
	err := json.Unmarshal(raw, &p)
	return p, err
}
