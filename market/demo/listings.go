package demo

import (
	"context"
	"fmt"
	"time"

	// The demo speaks the domain's vocabulary throughout; it is a package
	// apart only to keep data out of the domain package.
	. "techbridge/market"
)

// demoOutcome is one invented outcome of the demo market.
type demoOutcome struct {
	org, ext, title, summary, field string
	ipc                             []string
	keywords                        []string
	trl                             int
	ipType                          string
	modes                           []string
	minYuan, maxYuan                int64 // 0, 0 = negotiable
	confidential                    bool
}

// demoScenario is one invented scenario of the demo market.
type demoScenario struct {
	org, kind, title, description, field, region string
	keywords                                     []string
	minTRL                                       int
	minYuan, maxYuan, bountyYuan                 int64
	criteria                                     string
	days                                         int // deadline, days from now; 0 = none
}

// demoOutcomes were written for this project: plausible outcomes of the
// demo universities and institute, in Chinese and English, across fields.
var demoOutcomes = []demoOutcome{
	{"hju", "HJU-2024-001", "高镍三元正极材料单晶化制备技术", "通过两段烧结与掺杂包覆，获得粒径均一的单晶高镍正极材料，循环1000次容量保持率92%，适用于动力电池。", "energy_storage",
		[]string{"H01M 4/525", "H01M 10/0525"}, []string{"高镍", "单晶", "正极材料", "动力电池"}, 6, IPInventionPatent, []string{TransferExclusiveLicence, TransferJointDevelopment}, 3_000_000, 5_000_000, false},
	{"hju", "HJU-2024-002", "退役动力电池梯次利用健康状态快速评估方法", "基于脉冲阻抗谱和机器学习的电池健康状态评估，单包检测时间由4小时缩短至8分钟。", "energy_storage",
		[]string{"G01R 31/392", "H01M 10/42"}, []string{"梯次利用", "SOH", "电池回收"}, 5, IPInventionPatent, []string{TransferAssignment, TransferNonExclusive}, 800_000, 1_500_000, false},
	{"hju", "HJU-2024-003", "Weld seam tracking with line-structured light for welding robots", "A compact laser vision sensor and tracking algorithm that keeps the torch within 0.2 mm of thick-plate seams at 1.2 m/min.", "robotics",
		[]string{"B23K 9/127", "B25J 9/16"}, []string{"welding robot", "seam tracking", "structured light"}, 7, IPInventionPatent, []string{TransferExclusiveLicence}, 1_200_000, 2_000_000, false},
	{"hju", "HJU-2024-004", "工业视觉缺陷检测小样本学习平台", "仅需每类20张缺陷样本即可训练检测模型，已在钢板表面检测中验证，漏检率低于0.5%。", "ai",
		[]string{"G06V 10/82", "G06T 7/00"}, []string{"缺陷检测", "小样本学习", "机器视觉"}, 6, IPSoftwareCopyright, []string{TransferNonExclusive}, 300_000, 600_000, false},
	{"hju", "HJU-2024-005", "Low-temperature solid electrolyte interphase additive", "An electrolyte additive that keeps lithium-ion cells above 80% capacity at -30 °C; know-how and two pending patents, disclosed under NDA.", "energy_storage",
		[]string{"H01M 10/0567"}, []string{"electrolyte", "low temperature", "additive"}, 4, IPKnowHow, []string{TransferJointDevelopment, TransferEquity}, 0, 0, true},
	{"hju", "HJU-2024-006", "城市道路路面病害车载巡检系统", "基于车载相机与激光雷达融合，自动识别裂缝、坑槽与车辙并生成养护工单。", "construction",
		[]string{"E01C 23/01", "G06V 20/56"}, []string{"路面病害", "巡检", "激光雷达"}, 7, IPUtilityModel, []string{TransferNonExclusive, TransferAssignment}, 500_000, 900_000, false},
	{"hju", "HJU-2024-007", "Digital twin platform for district heating networks", "Hydraulic model calibrated from sensor data that predicts supply temperatures 24 h ahead and cuts pumping energy by 11%.", "environment",
		[]string{"F24D 19/10", "G06F 30/20"}, []string{"digital twin", "district heating", "energy saving"}, 6, IPSoftwareCopyright, []string{TransferNonExclusive}, 0, 0, false},
	{"hju", "HJU-2024-008", "协作机器人关节一体化力矩传感模组", "将谐波减速器、电机与双编码器力矩感知集成于一体，关节力矩分辨率0.05 N·m。", "robotics",
		[]string{"B25J 13/08", "G01L 3/10"}, []string{"协作机器人", "力矩传感", "关节模组"}, 5, IPInventionPatent, []string{TransferExclusiveLicence, TransferEquity}, 2_000_000, 3_500_000, false},
	{"eco", "ESOU-2023-011", "海上风电桩基防腐涂层及其施工工艺", "石墨烯改性环氧涂层配合阴极保护，盐雾试验6000小时无起泡，适用于潮差区与飞溅区。", "marine",
		[]string{"C09D 163/00", "C09D 5/08"}, []string{"海上风电", "防腐涂层", "石墨烯"}, 7, IPInventionPatent, []string{TransferAssignment, TransferExclusiveLicence}, 1_500_000, 2_500_000, false},
	{"eco", "ESOU-2023-012", "Seaweed-derived biodegradable packaging film", "Alginate and carrageenan film with water-vapour barrier comparable to PE, home-compostable in 60 days.", "new_materials",
		[]string{"C08L 5/04", "B65D 65/46"}, []string{"biodegradable", "seaweed", "packaging"}, 5, IPInventionPatent, []string{TransferExclusiveLicence, TransferJointDevelopment}, 600_000, 1_200_000, false},
	{"eco", "ESOU-2023-013", "深远海养殖网箱水质在线监测浮标", "低功耗多参数水质浮标，溶解氧、温盐与叶绿素实时回传，续航180天。", "agriculture",
		[]string{"A01K 61/60", "G01N 33/18"}, []string{"深远海养殖", "水质监测", "浮标"}, 7, IPUtilityModel, []string{TransferAssignment, TransferNonExclusive}, 200_000, 400_000, false},
	{"eco", "ESOU-2023-014", "船舶压载水电解消毒装置", "中压电解产生有效氯并在线中和，处理后水质满足IMO D-2标准，能耗低于0.05 kWh/m³。", "water",
		[]string{"C02F 1/467", "B63J 4/00"}, []string{"压载水", "电解消毒", "IMO"}, 6, IPInventionPatent, []string{TransferExclusiveLicence}, 0, 0, false},
	{"eco", "ESOU-2023-015", "Underwater acoustic modem for aquaculture sensors", "Short-range acoustic link at 2 kbit/s with adaptive equalisation, for cable-free sensors in net pens.", "electronics",
		[]string{"H04B 11/00", "H04B 13/02"}, []string{"underwater acoustic", "modem", "aquaculture"}, 4, IPInventionPatent, []string{TransferJointDevelopment}, 0, 0, false},
	{"eco", "ESOU-2023-016", "海洋微藻DHA高效发酵工艺", "通过补料分批发酵与溶氧控制，DHA产率提高35%，已完成500升中试。", "biomedicine",
		[]string{"C12P 7/6427", "C12N 1/12"}, []string{"微藻", "DHA", "发酵"}, 6, IPKnowHow, []string{TransferAssignment, TransferEquity}, 2_500_000, 4_000_000, true},
	{"yam", "YIAM-2024-101", "钠离子电池层状氧化物正极规模化合成", "固相法吨级合成铜铁锰基层状氧化物正极，比容量130 mAh/g，成本较磷酸铁锂低约20%。", "energy_storage",
		[]string{"H01M 4/505", "C01G 45/12"}, []string{"钠离子电池", "层状氧化物", "正极"}, 7, IPInventionPatent, []string{TransferExclusiveLicence, TransferEquity}, 5_000_000, 8_000_000, false},
	{"yam", "YIAM-2024-102", "Silicon carbide power module with sintered silver die attach", "1200 V SiC half-bridge module with pressure-less silver sintering; thermal resistance 30% below soldered modules.", "ic",
		[]string{"H01L 25/07", "H01L 23/373"}, []string{"SiC", "power module", "silver sintering"}, 6, IPInventionPatent, []string{TransferExclusiveLicence, TransferJointDevelopment}, 4_000_000, 6_000_000, false},
	{"yam", "YIAM-2024-103", "高强韧铝合金3D打印粉末及工艺", "专用铝镁钪合金粉末与激光选区熔化工艺，抗拉强度520 MPa，延伸率12%。", "new_materials",
		[]string{"B22F 10/28", "C22C 21/06"}, []string{"3D打印", "铝合金", "增材制造"}, 6, IPInventionPatent, []string{TransferAssignment, TransferNonExclusive}, 1_800_000, 3_000_000, false},
	{"yam", "YIAM-2024-104", "Perovskite–silicon tandem cell passivation", "A self-assembled monolayer and passivation stack reaching 29.1% certified efficiency on 1 cm² tandem cells.", "new_energy",
		[]string{"H10K 30/57", "H01L 31/0725"}, []string{"perovskite", "tandem", "solar cell"}, 4, IPInventionPatent, []string{TransferJointDevelopment, TransferEquity}, 0, 0, true},
	{"yam", "YIAM-2024-105", "工业废水中重金属选择性吸附材料", "功能化介孔二氧化硅对铅、镉选择性吸附，可再生20次以上，出水达到排放标准。", "environment",
		[]string{"B01J 20/10", "C02F 1/28"}, []string{"重金属", "吸附材料", "废水处理"}, 5, IPInventionPatent, []string{TransferAssignment, TransferNonExclusive}, 700_000, 1_200_000, false},
	{"yam", "YIAM-2024-106", "Thermally conductive polymer composite for EV battery packs", "Boron-nitride filled composite, 6 W/m·K, flame retardant V-0, injection mouldable for cell holders.", "new_materials",
		[]string{"C08K 3/38", "H01M 50/20"}, []string{"thermal interface", "battery pack", "composite"}, 6, IPInventionPatent, []string{TransferExclusiveLicence}, 1_000_000, 2_000_000, false},
	{"yam", "YIAM-2024-107", "氢燃料电池金属双极板涂层", "碳基纳米复合涂层，接触电阻低于5 mΩ·cm²，耐久测试5000小时。", "new_energy",
		[]string{"H01M 8/0228"}, []string{"燃料电池", "双极板", "涂层"}, 5, IPInventionPatent, []string{TransferExclusiveLicence, TransferJointDevelopment}, 2_000_000, 3_000_000, false},
	{"hju", "HJU-2024-009", "中药材产地溯源近红外光谱快速鉴别方法", "建立道地药材近红外指纹图谱库，30秒内完成产地判别，准确率96%。", "tcm",
		[]string{"G01N 21/359", "A61K 36/00"}, []string{"中药材", "溯源", "近红外光谱"}, 5, IPInventionPatent, []string{TransferNonExclusive}, 300_000, 500_000, false},
	{"hju", "HJU-2024-010", "Privacy-preserving federated credit scoring", "Federated gradient boosting across banks with secure aggregation; AUC within 0.5% of pooled training.", "fintech",
		[]string{"G06Q 40/03", "G06N 20/20"}, []string{"federated learning", "credit scoring", "privacy"}, 6, IPSoftwareCopyright, []string{TransferNonExclusive, TransferJointDevelopment}, 500_000, 1_000_000, false},
	{"eco", "ESOU-2023-017", "智能船舶航行能效优化系统", "融合气象海况与主机模型的航速航线优化，实船验证节油6%-9%。", "marine",
		[]string{"B63B 79/40", "G05D 1/02"}, []string{"智能船舶", "能效优化", "航线规划"}, 7, IPSoftwareCopyright, []string{TransferNonExclusive, TransferAssignment}, 800_000, 1_500_000, false},
}

// demoScenarios were written for this project: needs, pilot sites and a
// challenge call of the demo enterprises and the district bureau.
var demoScenarios = []demoScenario{
	{"newcore", ScenarioDemand, "寻求低成本钠离子电池正极量产技术", "公司计划建设2 GWh钠离子电池产线，寻求可吨级量产、循环寿命不低于3000次的正极材料技术，可独占许可或联合开发。", "energy_storage", "上海市 / 临港新片区",
		[]string{"钠离子电池", "正极材料", "量产"}, 6, 3_000_000, 8_000_000, 0, "", 120},
	{"newcore", ScenarioSite, "电池包产线视觉检测试点场景", "开放一条电池包装配线用于视觉检测与缺陷识别技术试点，提供数据与工位，试点周期3个月。", "ai", "上海市 / 临港新片区",
		[]string{"视觉检测", "电池包", "试点"}, 5, 200_000, 500_000, 0, "", 90},
	{"newcore", ScenarioDemand, "Low-temperature performance for LFP cells", "We need an electrolyte or additive solution that keeps LFP cells above 75% capacity at -25 °C without hurting cycle life.", "energy_storage", "上海市 / 临港新片区",
		[]string{"electrolyte", "low temperature", "LFP"}, 4, 0, 0, 0, "", 0},
	{"greensource", ScenarioDemand, "工业园区废水重金属深度处理技术需求", "园区污水厂需将出水铅、镉浓度进一步降低50%，寻求可再生吸附材料或膜分离技术。", "water", "浙江省 / 杭州市",
		[]string{"重金属", "废水处理", "吸附"}, 5, 1_000_000, 3_000_000, 0, "", 60},
	{"greensource", ScenarioSite, "Smart leak detection pilot in a city water network", "A 40 km district metered area is open for pilots of acoustic or pressure-based leak detection, with access to SCADA data.", "water", "浙江省 / 杭州市",
		[]string{"leak detection", "water network", "pilot"}, 6, 300_000, 800_000, 0, "", 75},
	{"smartforge", ScenarioChallenge, "厚板焊缝自动跟踪揭榜挂帅", "针对20-60 mm厚板多层多道焊，征集焊缝自动跟踪方案，现场评测精度与节拍，优胜者获得奖金并签订产业化合同。", "robotics", "江苏省 / 无锡市",
		[]string{"焊缝跟踪", "焊接机器人", "厚板"}, 6, 0, 0, 500_000, "现场跟踪精度（40%）、焊接节拍（30%）、成本与可维护性（30%）", 45},
	{"smartforge", ScenarioDemand, "Integrated joint module for collaborative robots", "Looking for a torque-sensing joint module (harmonic drive + motor + dual encoders) to license for a 5 kg payload cobot.", "robotics", "江苏省 / 无锡市",
		[]string{"cobot", "joint module", "torque sensing"}, 5, 2_000_000, 4_000_000, 0, "", 100},
	{"pudongbureau", ScenarioSite, "浦江新区智慧道路养护应用场景", "开放区内120公里市政道路作为路面病害自动巡检应用场景，优秀方案纳入年度政府采购目录。", "construction", "上海市 / 浦江新区",
		[]string{"智慧道路", "路面巡检", "应用场景"}, 6, 500_000, 1_500_000, 0, "", 60},
	{"pudongbureau", ScenarioChallenge, "Carbon-neutral campus energy challenge", "Teams propose an integrated PV, storage and heating control scheme for a 200,000 m² innovation campus; winners pilot it with public funding.", "new_energy", "上海市 / 浦江新区",
		[]string{"carbon neutral", "microgrid", "campus"}, 5, 0, 0, 1_000_000, "Modelled CO2 reduction (50%), cost per tonne (30%), replicability (20%)", 50},
	{"pudongbureau", ScenarioDemand, "中药材质量快速检测公共服务需求", "为区内中医药企业建设公共检测平台，寻求产地鉴别与有效成分快速检测技术。", "tcm", "上海市 / 浦江新区",
		[]string{"中药材", "快速检测", "公共服务"}, 5, 300_000, 800_000, 0, "", 90},
}

// ListingCounts reports what SeedListings created.
type ListingCounts struct {
	Outcomes  int
	Scenarios int
	Proposals int
}

// SeedListings creates the demo outcomes and scenarios, published, for
// the demo organisations named by the seed's keys (hju, eco, yam supply;
// newcore, greensource, smartforge, pudongbureau demand), plus a few
// proposals. It acts as the system, is meant for an empty demo database,
// and skips keys missing from orgIDs.
func SeedListings(ctx context.Context, s *Service, orgIDs map[string]string) (ListingCounts, error) {
	var n ListingCounts
	now := s.Now().UTC()
	outcomeByExt := map[string]*Outcome{}
	for _, d := range demoOutcomes {
		orgID, ok := orgIDs[d.org]
		if !ok {
			continue
		}
		trl := d.trl
		in := OutcomeInput{ExternalID: d.ext, Title: d.title, Summary: d.summary, Field: d.field, IPC: d.ipc,
			Keywords: d.keywords, TRL: &trl, IPType: d.ipType, TransferModes: d.modes,
			Price: Money{Min: d.minYuan * 100, Max: d.maxYuan * 100}, LegalStatus: LegalGranted}
		if d.confidential {
			in.Confidentiality = ConfidentialityTeaser
			in.Description = "详细技术方案、实验数据与专利清单在签署保密协议后提供。Full data and claims are shared after the NDA."
			in.LegalStatus = LegalPending
		}
		o, err := s.CreateOutcome(ctx, SystemActor, orgID, in)
		if err != nil {
			return n, fmt.Errorf("demo outcome %s: %w", d.ext, err)
		}
		if err := publishDemo(ctx, s, o, ApplyOutcome, Tx.UpdateOutcome); err != nil {
			return n, fmt.Errorf("publish demo outcome %s: %w", d.ext, err)
		}
		outcomeByExt[d.ext] = o
		n.Outcomes++
	}
	scenarioByTitle := map[string]*Scenario{}
	for _, d := range demoScenarios {
		orgID, ok := orgIDs[d.org]
		if !ok {
			continue
		}
		in := ScenarioInput{Kind: d.kind, Title: d.title, Description: d.description, Field: d.field, Region: d.region,
			Keywords: d.keywords, MinTRL: d.minTRL, Budget: Money{Min: d.minYuan * 100, Max: d.maxYuan * 100},
			Bounty: d.bountyYuan * 100, Criteria: d.criteria}
		if d.days > 0 {
			dl := now.Add(time.Duration(d.days) * 24 * time.Hour)
			in.Deadline = &dl
		}
		sc, err := s.CreateScenario(ctx, SystemActor, orgID, in)
		if err != nil {
			return n, fmt.Errorf("demo scenario %q: %w", d.title, err)
		}
		if err := publishDemo(ctx, s, sc, ApplyScenario, Tx.UpdateScenario); err != nil {
			return n, fmt.Errorf("publish demo scenario %q: %w", d.title, err)
		}
		scenarioByTitle[d.title] = sc
		n.Scenarios++
	}
	// Proposals: outcomes that answer scenarios, so the demo shows the flow.
	for _, p := range []struct{ scenario, outcome, org string }{
		{"寻求低成本钠离子电池正极量产技术", "YIAM-2024-101", "yam"},
		{"厚板焊缝自动跟踪揭榜挂帅", "HJU-2024-003", "hju"},
		{"工业园区废水重金属深度处理技术需求", "YIAM-2024-105", "yam"},
		{"浦江新区智慧道路养护应用场景", "HJU-2024-006", "hju"},
	} {
		sc, o := scenarioByTitle[p.scenario], outcomeByExt[p.outcome]
		if sc == nil || o == nil {
			continue
		}
		if _, err := s.SubmitProposal(ctx, SystemActor, sc.ID, orgIDs[p.org], ProposalInput{OutcomeID: o.ID}); err != nil {
			return n, fmt.Errorf("demo proposal %s → %s: %w", p.outcome, p.scenario, err)
		}
		n.Proposals++
	}
	return n, nil
}

// publishDemo submits and publishes a demo listing x as the operator, who
// is owner and reviewer at once, and leaves x published.
func publishDemo[T any](ctx context.Context, s *Service, x *T,
	apply func(T, ListingRoles, string, ListingAction, string, time.Time) (T, Event, error), update func(Tx, *T) error) error {
	sys, now := ListingRoles{Owner: true, Reviewer: true}, s.Now().UTC()
	return s.Store.Update(ctx, func(tx Tx) error {
		cur := *x
		for _, a := range []ListingAction{SubmitListing, PublishListing} {
			next, e, err := apply(cur, sys, "", a, "", now)
			if err != nil {
				return err
			}
			if err := update(tx, &next); err != nil {
				return err
			}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			cur = next
		}
		*x = cur
		return nil
	})
}
