// Package mail renders the outbox's mails in the recipient's language and
// delivers them: over SMTP (SMTP) or, without a server, into the log and a
// folder (Folder). Both implement market.Mailer.
package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"

	"techbridge/market"
)

// Rendered is a mail ready to send: subject, plain text and HTML.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// message is one kind's text in one language. Body is plain text with
// {{.field}} placeholders from the mail's data; the HTML part is the same
// text, escaped, with the link made clickable.
type message struct {
	Subject string
	Body    string
}

// catalogue holds every kind in zh and en; TestEveryKindHasBothLanguages
// checks it is complete.
var catalogue = map[string]map[string]message{
	market.MailVerifyEmail: {
		"zh": {"请验证您的邮箱 - 技术转移平台", "{{.name}}，您好：\n\n请打开下面的链接验证您的邮箱地址（24 小时内有效，仅可使用一次）：\n\n{{.link}}\n\n验证之后才能发起洽谈、签署保密协议和合同、付款或加入机构。\n如果这不是您的操作，请忽略本邮件。"},
		"en": {"Verify your email - TechBridge", "Hello {{.name}},\n\nOpen this link to verify your email address (valid for 24 hours, single use):\n\n{{.link}}\n\nOnce verified you can open deals, accept NDAs, sign contracts, pay and join organisations.\nIf this was not you, ignore this mail."},
	},
	market.MailAlreadyAccount: {
		"zh": {"您已有账户 - 技术转移平台", "{{.name}}，您好：\n\n有人用您的邮箱地址申请注册，而您已经有账户了，因此没有创建新账户。\n\n登录：{{.login_link}}\n忘记密码：{{.reset_link}}\n\n如果这不是您的操作，无需处理。"},
		"en": {"You already have an account - TechBridge", "Hello {{.name}},\n\nSomeone tried to register with your email address, which already has an account, so nothing was created.\n\nLog in: {{.login_link}}\nForgot your password: {{.reset_link}}\n\nIf this was not you, there is nothing to do."},
	},
	market.MailPasswordReset: {
		"zh": {"重置密码 - 技术转移平台", "{{.name}}，您好：\n\n请打开下面的链接设置新密码（30 分钟内有效，仅可使用一次）：\n\n{{.link}}\n\n重置后，您所有设备上的登录都会退出。如果这不是您的操作，请忽略本邮件。"},
		"en": {"Reset your password - TechBridge", "Hello {{.name}},\n\nOpen this link to choose a new password (valid for 30 minutes, single use):\n\n{{.link}}\n\nA reset logs you out everywhere. If this was not you, ignore this mail."},
	},
	market.MailPasswordChanged: {
		"zh": {"您的密码已更改 - 技术转移平台", "{{.name}}，您好：\n\n您账户的密码刚刚被更改，所有设备上的登录都已退出。\n如果这不是您的操作，请立即重置密码：{{.reset_link}}"},
		"en": {"Your password was changed - TechBridge", "Hello {{.name}},\n\nYour account's password was just changed and every session was logged out.\nIf this was not you, reset it now: {{.reset_link}}"},
	},
	market.MailInvitation: {
		"zh": {"{{.inviter}} 邀请您加入 {{.org_zh}} - 技术转移平台", "您好：\n\n{{.inviter}} 邀请您以「{{.role}}」身份加入机构「{{.org_zh}}」。\n\n请用本邮箱地址登录（或注册并验证）后打开下面的链接接受或拒绝（14 天内有效）：\n\n{{.link}}"},
		"en": {"{{.inviter}} invites you to {{.org_en}} - TechBridge", "Hello,\n\n{{.inviter}} invites you to join {{.org_en}} as {{.role}}.\n\nLog in with this email address (or register and verify it), then open this link to accept or decline (valid for 14 days):\n\n{{.link}}"},
	},
	market.MailOrgVerification: {
		"zh": {"机构审核结果：{{.org_zh}} - 技术转移平台", "{{.name}}，您好：\n\n平台对机构「{{.org_zh}}」的审核结果：{{.decision}}。\n{{if .reason}}说明：{{.reason}}\n{{end}}\n查看：{{.link}}"},
		"en": {"Verification of {{.org_en}} - TechBridge", "Hello {{.name}},\n\nThe platform's decision on {{.org_en}}: {{.decision}}.\n{{if .reason}}Reason: {{.reason}}\n{{end}}\nSee: {{.link}}"},
	},
	market.MailDealActivity: {
		"zh": {"洽谈有新动态 - 技术转移平台", "{{.name}}，您好：\n\n您参与的洽谈「{{.subject}}」有新动态。\n\n查看：{{.link}}\n\n可在账户设置中关闭此类邮件。"},
		"en": {"Activity in your deal - TechBridge", "Hello {{.name}},\n\nThere is new activity in your deal \"{{.subject}}\".\n\nSee: {{.link}}\n\nYou can switch these mails off in your account settings."},
	},
	market.MailMatchAlert: {
		"zh": {"新的匹配：{{.listing}} - 技术转移平台", "{{.name}}，您好：\n\n新发布的「{{.listing}}」与贵机构的「{{.yours}}」高度匹配（匹配度 {{.score}}）。\n\n查看：{{.link}}\n\n可在账户设置中关闭此类邮件。"},
		"en": {"New match: {{.listing}} - TechBridge", "Hello {{.name}},\n\nThe newly published \"{{.listing}}\" matches your organisation's \"{{.yours}}\" (score {{.score}}).\n\nSee: {{.link}}\n\nYou can switch these mails off in your account settings."},
	},
	market.MailDigest: {
		"zh": {"您有 {{.count}} 条未读通知 - 技术转移平台", "{{.name}}，您好：\n\n自上次摘要以来您有 {{.count}} 条未读通知：\n\n{{.items}}\n\n全部通知：{{.link}}\n\n可在账户设置中关闭每日摘要。"},
		"en": {"{{.count}} unread notifications - TechBridge", "Hello {{.name}},\n\nSince your last digest you have {{.count}} unread notifications:\n\n{{.items}}\n\nAll notifications: {{.link}}\n\nYou can switch the daily digest off in your account settings."},
	},
}

var htmlPage = htmltemplate.Must(htmltemplate.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;line-height:1.5">
{{range .Lines}}<p>{{range .}}{{if .Link}}<a href="{{.Link}}">{{.Link}}</a>{{else}}{{.Text}}{{end}}{{end}}</p>
{{end}}</body></html>
`))

// segment is a piece of a paragraph of the HTML part: text or a link.
type segment struct {
	Text string
	Link string
}

// segments splits a paragraph at the links it contains.
func segments(para string, links []string) []segment {
	var out []segment
	for para != "" {
		at, link := len(para), ""
		for _, l := range links {
			if i := strings.Index(para, l); i >= 0 && i < at {
				at, link = i, l
			}
		}
		if at > 0 {
			out = append(out, segment{Text: para[:at]})
		}
		if link == "" {
			break
		}
		out = append(out, segment{Link: link})
		para = para[at+len(link):]
	}
	return out
}

// Render returns m in its language (the default when it has none).
func Render(m market.OutboxMail) (Rendered, error) {
	kind, ok := catalogue[m.Kind]
	if !ok {
		return Rendered{}, fmt.Errorf("mail: no template for %q", m.Kind)
	}
	msg, ok := kind[market.NormalizeLanguage(m.Lang)]
	if !ok {
		return Rendered{}, fmt.Errorf("mail: no %s template for %q", m.Lang, m.Kind)
	}
	subject, err := execText(msg.Subject, m.Data)
	if err != nil {
		return Rendered{}, err
	}
	text, err := execText(msg.Body, m.Data)
	if err != nil {
		return Rendered{}, err
	}
	var links []string
	for _, v := range m.Data {
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			links = append(links, v)
		}
	}
	var lines [][]segment
	for _, para := range strings.Split(text, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			lines = append(lines, segments(para, links))
		}
	}
	var h bytes.Buffer
	err = htmlPage.Execute(&h, struct {
		Lang, Subject string
		Lines         [][]segment
	}{market.NormalizeLanguage(m.Lang), subject, lines})
	return Rendered{Subject: subject, Text: text, HTML: h.String()}, err
}

// execText fills a plain-text template; a missing field is an error, so a
// mail never goes out with a hole in it.
func execText(src string, data map[string]string) (string, error) {
	t, err := template.New("").Option("missingkey=error").Parse(src)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}
