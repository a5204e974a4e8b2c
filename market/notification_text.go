package market

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Notification texts are stored in both languages, "zh / en" (the API
// returns them so), made from a registered pair of formats; NoticeIn picks
// the reader's half by matching the text against those pairs.
var noticeFormats struct {
	sync.RWMutex
	res []*regexp.Regexp
}

// BilingualNotice formats a notification text from a registered zh/en
// pair of formats, each given the same args.
func BilingualNotice(zh, en string, args ...any) string {
	return fmt.Sprintf(zh, args...) + " / " + fmt.Sprintf(en, args...)
}

// RegisterNoticeFormat makes texts made by BilingualNotice(zh, en, …)
// readable in one language by NoticeIn. The formats use only %s.
func RegisterNoticeFormat(zh, en string) {
	pat := func(f string) string {
		return strings.ReplaceAll(regexp.QuoteMeta(f), "%s", `[\s\S]*`)
	}
	re := regexp.MustCompile(`^(?P<zh>` + pat(zh) + `) / (?P<en>` + pat(en) + `)$`)
	noticeFormats.Lock()
	noticeFormats.res = append(noticeFormats.res, re)
	noticeFormats.Unlock()
}

// NoticeIn returns the half of a bilingual notification text in lang ("zh"
// or "en"), or the text as stored when no registered format made it.
func NoticeIn(text, lang string) string {
	if lang != "en" {
		lang = "zh"
	}
	noticeFormats.RLock()
	defer noticeFormats.RUnlock()
	for _, re := range noticeFormats.res {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[re.SubexpIndex(lang)]
		}
	}
	return text
}
