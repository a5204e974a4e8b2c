package web

// orgMessages are the "my organisation" page's texts.
var orgMessages = map[string]msg{
	"org.title":        {"我的机构", "My organisation"},
	"org.lead":         {"你在 TechBridge 上代表的机构。机构经平台认证后才能发布成果和需求。", "The organisations you act for on TechBridge. An organisation can list outcomes and demands once the platform has verified it."},
	"org.mine.heading": {"我所在的机构", "Organisations I belong to"},
	"org.none":         {"你还没有加入任何机构。请在下面创建一个，或请机构负责人用你的邮箱添加你。", "You do not belong to an organisation yet. Create one below, or ask its owner to add you by your email."},
	"org.other_name":   {"英文名称", "Chinese name"},
	"org.my_role":      {"我的角色", "My role"},

	"org.kind.university":   {"高校", "University"},
	"org.kind.institute":    {"科研院所", "Research institute"},
	"org.kind.enterprise":   {"企业", "Enterprise"},
	"org.kind.intermediary": {"居间方", "Intermediary (broker)"},
	"org.kind.public_body":  {"政府及公共机构", "Public body"},

	"org.verification.pending":       {"待认证", "Awaiting verification"},
	"org.verification.verified":      {"已认证", "Verified"},
	"org.verification.rejected":      {"未通过认证", "Verification refused"},
	"org.verification.pending.hint":  {"平台正在核对机构信息，通常需要一到两个工作日。", "The platform is checking the organisation's details; this usually takes one or two working days."},
	"org.verification.verified.hint": {"机构已通过认证，可以发布成果和需求。", "Verified: the organisation may list outcomes and demands."},
	"org.verification.rejected.hint": {"认证未通过。请核对统一社会信用代码等信息后联系平台。", "Verification was refused. Check the credit code and details, then contact the platform."},

	"org.role.owner":  {"负责人", "Owner"},
	"org.role.member": {"成员", "Member"},

	"org.members.heading": {"成员", "Members"},
	"org.members.name":    {"姓名", "Name"},
	"org.members.role":    {"角色", "Role"},

	"org.add_member.heading": {"邀请成员", "Invite a member"},
	"org.add_member.hint":    {"对方会收到一封带链接的邀请邮件；用该邮箱登录并验证后接受，才会加入。", "They get an invitation mail with a link, and join only when they accept it, logged in with that email address, verified."},
	"org.add_member.submit":  {"发送邀请", "Send invitation"},

	"org.nda.heading":      {"保密协议（NDA）", "Non-disclosure agreement (NDA)"},
	"org.nda.none":         {"尚未发布保密协议。机构的保密成果要先发布保密协议，企业才能就其发起洽谈。", "No NDA published yet. Enterprises can inquire about the organisation's confidential outcomes only once it has one."},
	"org.nda.version":      {"当前版本", "Current version"},
	"org.nda.published":    {"发布时间", "Published"},
	"org.nda.hash":         {"文本指纹", "Text fingerprint"},
	"org.nda.show":         {"查看全文", "Show the text"},
	"org.nda.text_first":   {"保密协议文本", "NDA text"},
	"org.nda.text_next":    {"新版本的文本", "Text of the next version"},
	"org.nda.hint":         {"发布后，此后发起的洽谈使用新版本；已开始的洽谈保留原来的版本。买方接受的是按此摘要确认的原文。", "New deals use the new version; deals already open keep theirs. Buyers accept exactly this text, identified by its hash."},
	"org.nda.submit":       {"发布新版本", "Publish a new version"},
	"org.payout.heading":   {"收款账户", "Payout account"},
	"org.payout.label":     {"开户银行、账户名称和账号", "Bank, account name and number"},
	"org.payout.hint":      {"平台向本机构支付卖方收入或经纪费用时转入此账户；管理员在付款清单中看到它。", "The platform pays the organisation's proceeds and fees to this account; admins see it in the payout list."},
	"org.payout.submit":    {"保存收款账户", "Save the payout account"},
	"org.nda.submit_first": {"发布保密协议", "Publish the NDA"},

	"org.create.heading": {"创建机构", "Create an organisation"},
	"org.create.lead":    {"你将成为该机构的负责人。提交后平台会核对信息并进行认证。", "You become its owner. The platform checks the details and verifies it."},
	"org.create.submit":  {"创建机构", "Create organisation"},

	"org.field.kind":             {"机构类型", "Kind"},
	"org.field.kind_choose":      {"请选择…", "Choose…"},
	"org.field.name_zh":          {"中文名称", "Name in Chinese"},
	"org.field.name_en":          {"英文名称", "Name in English"},
	"org.field.name_hint":        {"中英文名称至少填写一个。", "Give at least one of the two names."},
	"org.field.region":           {"所在地区 / 园区", "Region / park"},
	"org.field.region_hint":      {"例如：上海市 / 张江科学城", "For example: Shanghai / Zhangjiang Science City"},
	"org.field.credit_code":      {"统一社会信用代码", "Unified social credit code"},
	"org.field.credit_code_hint": {"18 位，见营业执照或事业单位法人证书。", "18 characters, on the business licence or institution certificate."},
}
