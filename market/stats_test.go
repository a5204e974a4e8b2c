package market

import (
	"fmt"
	"testing"
	"time"
)

func TestStatRegion(t *testing.T) {
	for in, want := range map[string]string{
		"310115": "310000", "上海市 / 张江科学城": "上海市", "北京市，海淀区": "北京市", "": "", "  广东省  ": "广东省", "31011": "31011",
	} {
		if got := StatRegion(in); got != want {
			t.Errorf("StatRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFanWritesEachSliceOnce: a change is written for the market, its
// field, its region and both; an unstated field or region adds no slice.
func TestFanWritesEachSliceOnce(t *testing.T) {
	cut := func(ds []StatDelta) map[[2]string]bool {
		out := map[[2]string]bool{}
		for _, d := range ds {
			out[[2]string{d.Field, d.Region}] = true
		}
		return out
	}
	if got := cut(fan(nil, StatDelta{N: 1}, "bio", "310000")); len(got) != 4 || !got[[2]string{"bio", "310000"}] || !got[[2]string{StatAll, StatAll}] {
		t.Errorf("both stated: %v", got)
	}
	if got := fan(nil, StatDelta{N: 1}, StatAll, "310000"); len(got) != 2 {
		t.Errorf("no field: %v", got)
	}
	if got := fan(nil, StatDelta{N: 1}, StatAll, StatAll); len(got) != 1 {
		t.Errorf("neither: %v", got)
	}
}

// TestViewCounterDeduplicatesPerVisitorAndDay: a visitor (address and
// user agent) counts once a day however often it loads the page, every
// load counts as a detail view, and the next day it counts again.
func TestViewCounterDeduplicatesPerVisitorAndDay(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	v := &ViewCounter{Now: func() time.Time { return now }}
	v.Count("L1", "198.51.100.7", "Firefox")
	v.Count("L1", "198.51.100.7", "Firefox")
	v.Count("L1", "198.51.100.7", "Chrome")
	v.Count("L2", "198.51.100.7", "Firefox")
	day := StatDay(now)
	if c := v.counts[viewKey{"L1", day}]; c.visitors != 2 || c.loads != 3 {
		t.Errorf("L1 on day 1: %+v", *c)
	}
	if c := v.counts[viewKey{"L2", day}]; c.visitors != 1 || c.loads != 1 {
		t.Errorf("L2 on day 1: %+v", *c)
	}
	salt := v.salt
	now = now.Add(24 * time.Hour)
	v.Count("L1", "198.51.100.7", "Firefox")
	if c := v.counts[viewKey{"L1", StatDay(now)}]; c.visitors != 1 || c.loads != 1 {
		t.Errorf("L1 on day 2: %+v", *c)
	}
	if v.salt == salt {
		t.Error("the salt was not replaced at the day's change")
	}
	v.Count("L2", "198.51.100.7", "Firefox")
	if c := v.counts[viewKey{"L2", StatDay(now)}]; c.visitors != 1 {
		t.Errorf("yesterday's visitors are kept: L2 on day 2 %+v", *c)
	}
}

// TestViewCounterMemoryIsBoundedUnderACrawler: a crawler from a new
// address on every request (here ten times the filter's sizing) leaves the
// filter at the size it was made with; visitors are counted nearly exactly
// up to the sizing and never above the loads.
func TestViewCounterMemoryIsBoundedUnderACrawler(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	v := &ViewCounter{Now: func() time.Time { return now }, Visitors: 1000}
	for i := range 1000 {
		v.Count("L1", fmt.Sprintf("10.0.%d.%d", i/256, i%256), "crawler")
	}
	c := v.counts[viewKey{"L1", StatDay(now)}]
	if c.visitors < 990 || c.visitors > 1000 {
		t.Errorf("1,000 distinct visitors within the sizing counted as %d", c.visitors)
	}
	bits := v.seen.Cap()
	for i := 1000; i < 10000; i++ {
		v.Count("L1", fmt.Sprintf("10.%d.%d.%d", i/65536, i/256%256, i%256), "crawler")
	}
	if v.seen.Cap() != bits {
		t.Errorf("the visitor filter grew from %d to %d bits", bits, v.seen.Cap())
	}
	if c.visitors > c.loads || c.loads != 10000 {
		t.Errorf("counts %+v", *c)
	}
}

func TestFunnelTableConversion(t *testing.T) {
	tb := funnelTable(ScopeListing, map[string]int64{StepView: 200, StepDetail: 300, StepInquiry: 10, StepNDA: 5, StepOffer: 4, StepSigned: 1})
	want := map[string][2]int64{StepView: {200, 0}, StepDetail: {300, 0}, StepInquiry: {10, 500}, StepNDA: {5, 5000}, StepOffer: {4, 8000}, StepSigned: {1, 2500}}
	for _, r := range tb.Rows {
		if w := want[r.Label]; r.Values[0] != w[0] || r.Values[1] != w[1] {
			t.Errorf("%s: %v, want %v", r.Label, r.Values, w)
		}
	}
}
