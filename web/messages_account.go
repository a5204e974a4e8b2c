package web

// accountMessages are the register, login and logout pages' texts.
var accountMessages = map[string]msg{
	"account.display_name":      {"姓名", "Your name"},
	"account.display_name_hint": {"其他成员会看到这个名字。", "Other members see this name."},
	"account.email":             {"电子邮箱", "Email"},
	"account.password":          {"密码", "Password"},
	"account.password_hint":     {"至少 10 个字符。", "At least 10 characters."},

	"register.title":        {"注册", "Register"},
	"register.lead":         {"一个账户即可代表你的机构发布成果、需求并参与交易。", "One account lets you list outcomes and demands and take part in deals for your organisation."},
	"register.submit":       {"创建账户", "Create account"},
	"register.have_account": {"已经有账户？", "Already registered?"},

	"login.title":             {"登录", "Log in"},
	"login.submit":            {"登录", "Log in"},
	"login.failed":            {"邮箱或密码不正确。", "Wrong email or password."},
	"login.throttled":         {"登录失败次数过多，为保护账户已暂时停止登录。请稍后再试。", "Too many failed attempts: logging in is paused for a while to protect the account. Please try again later."},
	"login.throttled.minutes": {"登录失败次数过多，为保护账户已暂时停止登录。请 %d 分钟后再试。", "Too many failed attempts: logging in is paused to protect the account. Please try again in %d minutes."},
	"login.no_account":        {"还没有账户？", "No account yet?"},

	"logout.title":  {"退出登录", "Log out"},
	"logout.body":   {"确定要在这台设备上退出登录吗？", "Log out on this device?"},
	"logout.submit": {"退出登录", "Log out"},
}
