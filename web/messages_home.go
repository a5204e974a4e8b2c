package web

// homeMessages are the home page's texts.
var homeMessages = map[string]msg{
	"home.title":   {"首页", "Home"},
	"home.heading": {"让科技成果找到用武之地", "Where research finds its use"},
	"home.lead": {"TechBridge 是一个科技成果转化市场：高校和科研院所发布专利、软件和技术诀窍，企业和公共机构发布应用场景、技术需求和揭榜挂帅，居间方促成对接，合同与分期付款在平台上完成。",
		"TechBridge is a technology-transfer marketplace: universities and research institutes list patents, software and know-how; enterprises and public bodies post application scenarios, technology demands and challenge calls; technology brokers bring the two sides together, and contracts and milestone payments are settled on the platform."},
	"home.cta.register": {"免费注册", "Create a free account"},
	"home.cta.login":    {"登录", "Log in"},
	"home.cta.my_org":   {"进入我的机构", "Go to my organisation"},

	"home.entry.heading":       {"从这里开始", "Start here"},
	"home.entry.nav.outcomes":  {"浏览高校和科研院所发布的专利、软件和技术成果，按领域、成熟度和转化方式筛选。", "Browse patents, software and know-how from universities and institutes, by field, readiness and transfer mode."},
	"home.entry.nav.scenarios": {"查看企业和公共机构发布的应用场景、技术需求和揭榜挂帅项目。", "See the application scenarios, technology demands and challenge calls of enterprises and public bodies."},
	"home.entry.nav.search":    {"用关键词搜索成果和需求，查看匹配结果及匹配理由。", "Search outcomes and demands by keyword and see why each match was made."},

	"home.who.heading":      {"谁在使用 TechBridge", "Who uses TechBridge"},
	"home.who.supply.title": {"高校与科研院所", "Universities and institutes"},
	"home.who.supply.body":  {"发布科技成果，回应应用场景，洽谈、签约并按里程碑交付和收款。", "List outcomes, answer scenarios, negotiate, sign, and deliver and get paid by milestone."},
	"home.who.demand.title": {"企业与公共机构", "Enterprises and public bodies"},
	"home.who.demand.body":  {"发布需求和揭榜项目，获得匹配的成果与团队，按里程碑付款。", "Post demands and challenge calls, get matched outcomes and teams, and fund milestones."},
	"home.who.broker.title": {"居间方与技术转移机构", "Brokers and transfer offices"},
	"home.who.broker.body":  {"撮合供需双方，在交易中约定服务费，款项放行时结算。", "Bring both sides together, agree a fee in the deal, and earn it when payments are released."},

	"home.steps.heading": {"三步开始", "Three steps to begin"},
	"home.steps.1":       {"注册个人账户。", "Register your personal account."},
	"home.steps.2":       {"创建或加入你所在的机构，并提交统一社会信用代码等待认证。", "Create or join your organisation, giving its unified social credit code for verification."},
	"home.steps.3":       {"认证通过后即可发布成果或需求，并与对方洽谈。", "Once verified, list outcomes or demands and start talking to the other side."},
}
