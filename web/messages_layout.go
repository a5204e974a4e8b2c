package web

// layoutMessages are the header, footer, shared form texts, notices and
// error pages.
var layoutMessages = map[string]msg{
	"site.name":       {"TechBridge", "TechBridge"},
	"site.tagline":    {"科技成果转化市场", "Technology-transfer marketplace"},
	"layout.skip":     {"跳到正文", "Skip to content"},
	"nav.label":       {"主导航", "Main navigation"},
	"nav.outcomes":    {"科技成果", "Outcomes"},
	"nav.scenarios":   {"场景与需求", "Scenarios & demands"},
	"nav.search":      {"搜索", "Search"},
	"nav.soon":        {"即将上线", "coming soon"},
	"nav.my_org":      {"我的机构", "My organisation"},
	"nav.login":       {"登录", "Log in"},
	"nav.register":    {"注册", "Register"},
	"nav.logout":      {"退出", "Log out"},
	"lang.other":      {"English", "中文"},
	"lang.other_code": {"en", "zh"},
	"footer.text": {"TechBridge 连接高校院所的科技成果与企业的应用场景，由技术经纪人促成交易。",
		"TechBridge connects research outcomes from universities and institutes with the needs of enterprises, with technology brokers in between."},

	"form.fix_below": {"有些内容需要修改，请查看下面标出的地方。", "Some entries need changing; see the marked fields below."},
	"form.invalid":   {"提交的内容有误，请检查后再试。", "The form could not be accepted; please check it and try again."},

	"notice.registered":     {"账户已创建，请登录。", "Your account is ready. Please log in."},
	"notice.logged_out":     {"你已退出登录。", "You have logged out."},
	"notice.org_created":    {"机构已创建，正在等待平台认证。", "Organisation created; it is waiting for the platform's verification."},
	"notice.member_added":   {"成员已添加。", "Member added."},
	"notice.member_invited": {"此邮箱尚未注册；对方注册后将自动加入该机构。", "Nobody has registered this email yet; they will join the organisation when they register."},

	"error.request_id":      {"请求编号", "Request id"},
	"error.back_home":       {"返回首页", "Back to the home page"},
	"error.csrf.title":      {"表单未能提交", "The form was not accepted"},
	"error.csrf.body":       {"出于安全原因，这份表单已失效或来自其他网站，内容没有保存。请返回上一页，刷新后再提交一次。", "For your safety this form was refused: it had expired or came from another site, and nothing was saved. Go back, reload the page and submit it again."},
	"error.toolarge.title":  {"提交的内容太大", "The form is too large"},
	"error.toolarge.body":   {"这次提交超过了表单 1 MB 的上限（上传文件为 8 MB），内容没有保存。请返回上一页（填写的内容通常还在），缩短最长的文字后再提交。", "What was sent is over the 1 MB limit for a form (8 MB for a file upload), and nothing was saved. Go back (what you typed is usually still there), shorten the longest texts and submit again."},
	"error.notfound.title":  {"找不到此页面", "Page not found"},
	"error.notfound.body":   {"这个地址没有内容，可能已被移除或输入有误。", "There is nothing at this address; it may have moved or been mistyped."},
	"error.forbidden.title": {"没有权限", "Not allowed"},
	"error.forbidden.body":  {"你的账户无权进行此操作。如有疑问，请联系机构负责人。", "Your account may not do this. If you think it should, ask your organisation's owner."},
	"error.invalid.title":   {"请求无效", "Request not accepted"},
	"error.invalid.body":    {"提交的内容无法处理，请返回检查后再试。", "What was sent could not be processed; go back, check it and try again."},
	"error.toomany.title":   {"操作太频繁", "Too many attempts"},
	"error.toomany.body":    {"请稍等片刻再试。", "Please wait a moment and try again."},
	"error.internal.title":  {"出错了", "Something went wrong"},
	"error.internal.body":   {"服务器出现问题，请稍后再试。如果问题持续，请把下面的请求编号告诉我们。", "The server ran into a problem. Please try again later; if it persists, send us the request id below."},
}
