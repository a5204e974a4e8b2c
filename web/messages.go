package web

import (
	"fmt"
	"strings"
)

// msg is one catalogue entry in both page languages.
type msg struct{ zh, en string }

// in returns the text in lang.
func (m msg) in(lang string) string {
	if lang == langEN {
		return m.en
	}
	return m.zh
}

// messageSets are the catalogue's parts, one per area (messages_*.go); a new
// area adds its set here.
var messageSets = []map[string]msg{layoutMessages, homeMessages, accountMessages, orgMessages, searchMessages, dealMessages, paymentMessages, listingsMessages, trustMessages, pageMessages, financeMessages, contractMessages}

// catalogue maps a key such as "login.title" to its text.
var catalogue = mergeMessages(messageSets)

func mergeMessages(sets []map[string]msg) map[string]msg {
	out := map[string]msg{}
	for _, set := range sets {
		for k, m := range set {
			if _, dup := out[k]; dup {
				panic("web: catalogue key defined twice: " + k)
			}
			out[k] = m
		}
	}
	return out
}

// translate returns the text for key in lang; a missing key shows itself,
// so the gap is visible (and TestCatalogue fails).
func translate(lang, key string) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	return m.in(lang)
}

// fieldMessage renders a market field error in lang. The market speaks
// English; the Chinese texts of its known messages are kept here, and an
// unknown one is shown in English rather than not at all.
func fieldMessage(lang, text string) string {
	if lang == langZH {
		if zh, ok := marketMessagesZH[text]; ok {
			return zh
		}
		var n int
		if _, err := fmt.Sscanf(text, "must be at most %d characters", &n); err == nil {
			return fmt.Sprintf("最多 %d 个字符", n)
		}
		if strings.HasPrefix(text, "must be one of ") {
			return "请从列表中选择"
		}
		return text
	}
	if text == "" {
		return text
	}
	return strings.ToUpper(text[:1]) + text[1:]
}

// marketMessagesZH holds the Chinese for the market's field messages.
var marketMessagesZH = map[string]string{
	"must be a valid email address":            "请输入有效的电子邮箱地址",
	"must be at least 10 characters":           "至少 10 个字符",
	"must be at most 256 bytes":                "太长了（最多 256 字节）",
	"is required":                              "必填",
	"is already registered":                    "已被注册",
	"is invalid, used or expired":              "链接无效、已使用或已过期，请重新获取",
	"is already a member":                      "已经是该机构成员",
	"is not your current password":             "当前密码不正确",
	"is your current address":                  "与当前邮箱相同",
	"your email address is not verified":       "您的邮箱尚未验证",
	"a name in Chinese or English is required": "请至少填写中文或英文名称",
	"must be owner or member":                  "请选择负责人或成员",
	"must be an 18-character unified social credit code with a valid check character": "应为 18 位统一社会信用代码，且校验位正确",
}

// countText is translate(lang, key) with n filled in, using key+".one"
// for n == 1 when the catalogue has it ("1 result", not "1 results").
func countText(lang, key string, n int) string {
	if _, ok := catalogue[key+".one"]; ok && n == 1 {
		key += ".one"
	}
	return fmt.Sprintf(translate(lang, key), n)
}
