package searchtest

import (
	"fmt"
	"time"

	"techbridge/search"
)

// Fixture ids. They use only [a-zA-Z0-9_-] so that every engine (Meilisearch
// included) accepts them as primary keys.
const (
	IDLiRecycle   = "out-li-recycle"     // zh outcome, 锂电池, energy, H01M 10/54, TRL 6, beijing
	IDSolidState  = "out-solid-state"    // en outcome, lithium battery, energy, H01M 10/0562, TRL 4
	IDCropDrone   = "out-crop-drone"     // en outcome, drone, agritech, B64U, TRL 8, zhejiang
	IDBatteryNeed = "scn-battery-demand" // zh scenario (demand), 电池, energy, TRL 5, fujian
	IDSmartFarm   = "scn-smart-farm"     // en scenario (challenge), agritech, TRL 7, no price
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// Fixtures returns five published listings, two in Chinese and three in
// English, chosen so that every filter, sort and facet has a known answer:
// publication dates, TRLs and prices are all distinct, and prices ordered by
// minimum and by maximum agree.
func Fixtures() []search.Document {
	docs := fixtures()
	for i := range docs {
		docs[i].Langs = search.Languages(docs[i]) // as the indexer sets them
	}
	return docs
}

func fixtures() []search.Document {
	return []search.Document{
		{
			ID: IDLiRecycle, Kind: search.KindOutcome, ExternalID: "CN-2025-001",
			OrgID: "org-tsinghua", OrgKind: "university", OrgName: "清华大学",
			Title:       "锂电池回收与梯次利用技术",
			Summary:     "废旧锂电池高效拆解与正极材料再生",
			Description: "本成果提供锂电池自动拆解、正极材料修复再生以及梯次利用储能系统的整套工艺。",
			Keywords:    []string{"锂电池", "回收", "储能"},
			Field:       "energy", IPC: []string{"H01M 10/54", "H01M 6/52"}, TRL: 6,
			TransferModes: []string{"assignment", "exclusive_license"},
			PriceMin:      50_000_000, PriceMax: 80_000_000, Currency: "CNY", Region: "beijing",
			Version: 1, PublishedAt: day("2025-01-10"), FreshUntil: day("2026-01-10"),
		},
		{
			ID: IDSolidState, Kind: search.KindOutcome,
			OrgID: "org-cas", OrgKind: "institute", OrgName: "Institute of Physics",
			Title:       "Solid-state lithium battery electrolyte",
			Summary:     "A sulfide electrolyte that makes lithium batteries safer",
			Description: "Sulfide solid electrolyte with high ionic conductivity, produced at pilot scale.",
			Keywords:    []string{"lithium", "battery", "electrolyte"},
			Field:       "energy", IPC: []string{"H01M 10/0562"}, TRL: 4,
			TransferModes: []string{"non_exclusive_license", "joint_development"},
			PriceMin:      200_000_000, PriceMax: 300_000_000, Currency: "CNY", Region: "shanghai",
			Version: 1, PublishedAt: day("2025-03-01"),
		},
		{
			ID: IDCropDrone, Kind: search.KindOutcome,
			OrgID: "org-zju", OrgKind: "university", OrgName: "Zhejiang University",
			Title:       "Precision crop-spraying drone",
			Summary:     "An agricultural drone with variable-rate nozzles",
			Description: "Autonomous spraying drone that maps fields and adjusts the dose per square metre.",
			Keywords:    []string{"drone", "agriculture"},
			Field:       "agritech", IPC: []string{"B64U 10/00", "A01M 7/00"}, TRL: 8,
			TransferModes: []string{"equity"},
			PriceMin:      10_000_000, PriceMax: 15_000_000, Currency: "CNY", Region: "zhejiang",
			Version: 1, PublishedAt: day("2025-02-01"),
		},
		{
			ID: IDBatteryNeed, Kind: search.KindScenario, ScenarioKind: "demand",
			OrgID: "org-catl", OrgKind: "enterprise", OrgName: "宁德某电池企业",
			Title:       "寻求动力电池热管理方案",
			Summary:     "面向电动汽车的电池热失控预警与热管理",
			Description: "需要可量产的电池包热管理与热失控早期预警方案。",
			Keywords:    []string{"电池", "热管理"},
			Field:       "energy", TRL: 5,
			PriceMin: 30_000_000, PriceMax: 70_000_000, Currency: "CNY", Region: "fujian",
			Version: 1, PublishedAt: day("2025-04-01"), Deadline: day("2025-12-31"),
		},
		{
			ID: IDSmartFarm, Kind: search.KindScenario, ScenarioKind: "challenge",
			OrgID: "org-agri-bureau", OrgKind: "public_body", OrgName: "Provincial Agriculture Bureau",
			Title:       "Smart farming challenge call",
			Summary:     "Low-cost soil sensors for smallholder farms",
			Description: "We invite teams to pilot soil moisture sensing on ten demonstration farms.",
			Keywords:    []string{"agriculture", "sensor"},
			Field:       "agritech", TRL: 7, Region: "zhejiang",
			Version: 1, PublishedAt: day("2025-01-20"), Deadline: day("2025-09-30"),
		},
	}
}

// Bulk returns n plain outcomes "bulk-000"… with strictly increasing
// publication times, so that sorting by newest gives a total order.
func Bulk(n int) []search.Document {
	docs := make([]search.Document, n)
	base := day("2024-01-01")
	for i := range docs {
		docs[i] = search.Document{
			ID: fmt.Sprintf("bulk-%03d", i), Kind: search.KindOutcome,
			OrgID: "org-bulk", OrgKind: "university",
			Title: fmt.Sprintf("Bulk listing %d", i), Field: "materials", TRL: 1 + i%9,
			Version: 1, PublishedAt: base.Add(time.Duration(i) * time.Hour),
		}
	}
	return docs
}
