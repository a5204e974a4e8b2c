package mail_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/mail"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
)

// sample is template input with every field any kind uses.
var sample = map[string]string{"name": "周老师", "link": "https://tb.example.cn/x?token=abc", "token": "abc",
	"login_link": "https://tb.example.cn/login", "reset_link": "https://tb.example.cn/forgot-password",
	"inviter": "李四", "org_zh": "上海交通大学", "org_en": "SJTU", "role": "member", "decision": "rejected",
	"reason": "营业执照不清晰", "subject": "固态电池", "listing": "退役动力电池回收", "yours": "电池回收需求", "score": "87",
	"count": "2", "items": "- 新消息：固态电池 / New message: 固态电池\n- 报价已接受：X / Offer accepted: X"}

var kinds = []string{market.MailVerifyEmail, market.MailAlreadyAccount, market.MailPasswordReset, market.MailPasswordChanged,
	market.MailInvitation, market.MailOrgVerification, market.MailDealActivity, market.MailMatchAlert, market.MailDigest}

// TestEveryKindHasBothLanguages renders every kind in zh and en: the
// subject and text differ by language, the HTML part links the link.
func TestEveryKindHasBothLanguages(t *testing.T) {
	for _, kind := range kinds {
		zh, err := mail.Render(market.OutboxMail{Kind: kind, Lang: "zh", Data: sample})
		if err != nil {
			t.Fatalf("%s zh: %v", kind, err)
		}
		en, err := mail.Render(market.OutboxMail{Kind: kind, Lang: "en", Data: sample})
		if err != nil {
			t.Fatalf("%s en: %v", kind, err)
		}
		if zh.Subject == en.Subject || zh.Text == en.Text || !strings.Contains(en.HTML, `<html lang="en">`) {
			t.Errorf("%s: zh and en are not both there", kind)
		}
		if strings.Contains(zh.Text, "{{.link}}") || (strings.Contains(zh.Text, sample["link"]) &&
			!strings.Contains(zh.HTML, `<a href="https://tb.example.cn/x?token=abc">`)) {
			t.Errorf("%s: link not rendered or not clickable:\n%s", kind, zh.HTML)
		}
	}
	// A missing field is an error, not a hole in a mail.
	if _, err := mail.Render(market.OutboxMail{Kind: market.MailVerifyEmail, Lang: "en", Data: map[string]string{"name": "x"}}); err == nil {
		t.Error("a verification mail without its link rendered")
	}
	if _, err := mail.Render(market.OutboxMail{Kind: "nonsense", Lang: "en"}); err == nil {
		t.Error("an unknown kind rendered")
	}
}

// TestFolderWritesTheMail: without SMTP a newcomer reads mail in the data dir.
func TestFolderWritesTheMail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	f := mail.Folder{Dir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := f.Send(context.Background(), market.OutboxMail{Key: "k1", To: "a@x.cn", Kind: market.MailPasswordReset, Lang: "en", Data: sample}); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	raw, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	if !strings.Contains(string(raw), "To: a@x.cn") || !strings.Contains(string(raw), sample["link"]) {
		t.Fatalf("mail file:\n%s", raw)
	}
}

// mailpit is the Mailpit server the tests read delivered mail from.
type mailpit struct {
	smtp string // smtp://host:port
	api  string // http://host:port
}

func newMailpit(t *testing.T) mailpit {
	t.Helper()
	return mailpit{smtp: testenv.Lookup(t, "TECHBRIDGE_TEST_SMTP_URL", "SMTP server (Mailpit)"),
		api: strings.TrimRight(testenv.Lookup(t, "TECHBRIDGE_TEST_MAILPIT_URL", "Mailpit HTTP API"), "/")}
}

// delivered lists the messages Mailpit received for an address.
func (m mailpit) delivered(t *testing.T, to string) []mailpitMessage {
	t.Helper()
	res, err := http.Get(m.api + "/api/v1/search?query=" + url.QueryEscape("to:"+to))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Messages []mailpitMessage `json:"messages"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// message loads one message's parts.
func (m mailpit) message(t *testing.T, id string) (text, html string) {
	t.Helper()
	res, err := http.Get(m.api + "/api/v1/message/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Text, HTML string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Text, out.HTML
}

type mailpitMessage struct {
	ID      string `json:"ID"`
	Subject string `json:"Subject"`
}

// uniqueAddress is an address no other test run uses.
func uniqueAddress(name string) string {
	return name + "-" + strings.ReplaceAll(market.NewID(), "-", "")[16:] + "@mail.example.cn"
}

// TestSMTPDeliversTextAndHTML sends through a real SMTP server.
func TestSMTPDeliversTextAndHTML(t *testing.T) {
	mp := newMailpit(t)
	s, err := mail.NewSMTP(mp.smtp, "noreply@techbridge.test")
	if err != nil {
		t.Fatal(err)
	}
	to := uniqueAddress("smtp")
	if err := s.Send(context.Background(), market.OutboxMail{Key: "k-" + to, To: to, Kind: market.MailInvitation, Lang: "zh", Data: sample}); err != nil {
		t.Fatal(err)
	}
	got := mp.delivered(t, to)
	if len(got) != 1 || !strings.Contains(got[0].Subject, "上海交通大学") {
		t.Fatalf("delivered %+v", got)
	}
	text, html := mp.message(t, got[0].ID)
	if !strings.Contains(text, sample["link"]) || !strings.Contains(html, `href="https://tb.example.cn/x?token=abc"`) {
		t.Fatalf("parts: text %q html %q", text, html)
	}
	if _, err := mail.NewSMTP("http://x", "a@b.cn"); err == nil {
		t.Error("a non-smtp URL was accepted")
	}
}

// newService is a market service over db with a quiet log.
func newService(db market.Store) *market.Service {
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	svc.LinkBase = "https://tb.example.cn"
	return svc
}

// TestOutboxSendsOnceAfterRestart: a registration commits its verification
// mail; the process dies before sending; a new process sends it once, and
// sending again sends nothing.
func TestOutboxSendsOnceAfterRestart(t *testing.T) {
	mp := newMailpit(t)
	s, err := mail.NewSMTP(mp.smtp, "noreply@techbridge.test")
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, to string, after *market.Service) {
		for range 2 {
			if _, err := after.SendDueMail(context.Background(), s, 50); err != nil {
				t.Fatal(err)
			}
		}
		got := mp.delivered(t, to)
		if len(got) != 1 {
			t.Fatalf("delivered %d mails, want 1", len(got))
		}
		text, _ := mp.message(t, got[0].ID)
		if !strings.Contains(text, "https://tb.example.cn/verify-email?token=") {
			t.Fatalf("verification mail without its link:\n%s", text)
		}
	}
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		to := uniqueAddress("restart")
		if _, err := newService(db).Register(context.Background(), market.NewAccount{Email: to, Password: "long enough pass", DisplayName: "R"}); err != nil {
			t.Fatal(err)
		}
		// The first service is gone without sending; a new one takes over.
		check(t, to, newService(db))
	})
	t.Run("sqlite file reopened", func(t *testing.T) {
		dir := t.TempDir()
		db, err := sqlstore.Open(context.Background(), "", dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		to := uniqueAddress("reopen")
		if _, err := newService(db).Register(context.Background(), market.NewAccount{Email: to, Password: "long enough pass", DisplayName: "R"}); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db, err = sqlstore.Open(context.Background(), "", dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		check(t, to, newService(db))
	})
}

// TestOutboxRetriesUntilTheServerIsBack: while the SMTP server cannot be
// reached the mail stays queued with a growing delay; once it is back the
// mail arrives.
func TestOutboxRetriesUntilTheServerIsBack(t *testing.T) {
	mp := newMailpit(t)
	up, err := mail.NewSMTP(mp.smtp, "noreply@techbridge.test")
	if err != nil {
		t.Fatal(err)
	}
	// A port nobody listens on: the server is down.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := ln.Addr().String()
	ln.Close()
	down, err := mail.NewSMTP("smtp://"+deadAddr, "noreply@techbridge.test")
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		svc := newService(db)
		svc.Now = func() time.Time { return now }
		to := uniqueAddress("retry")
		if err := svc.RequestPasswordReset(ctx, to); err != nil { // no account: nothing queued
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, market.NewAccount{Email: to, Password: "long enough pass", DisplayName: "R", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		var delays []time.Duration
		for range 3 {
			if n, err := svc.SendDueMail(ctx, down, 50); err != nil || n != 0 {
				t.Fatalf("sent %d through a dead server: %v", n, err)
			}
			var m []market.OutboxMail
			db.View(ctx, func(tx market.Tx) (err error) { m, err = tx.DueMail(now.AddDate(1, 0, 0), 50); return err })
			if len(m) != 1 || m[0].LastError == "" {
				t.Fatalf("queued after failure: %+v", m)
			}
			delays = append(delays, m[0].NextAttemptAt.Sub(now))
			// Not due yet: nothing is tried.
			if n, _ := svc.SendDueMail(ctx, up, 50); n != 0 {
				t.Fatal("a mail was retried before its delay")
			}
			now = m[0].NextAttemptAt
		}
		if !(delays[0] > 0 && delays[1] > delays[0] && delays[2] > delays[1]) {
			t.Fatalf("delays %v do not grow", delays)
		}
		if n, err := svc.SendDueMail(ctx, up, 50); err != nil || n != 1 {
			t.Fatalf("after the server is back: sent %d, %v", n, err)
		}
		got := mp.delivered(t, to)
		if len(got) != 1 || !strings.Contains(got[0].Subject, "Verify your email") {
			t.Fatalf("delivered %+v", got)
		}
	})
}

// TestOneInstanceSends: two instances run the outbox on one database; the
// lease lets one send, and every mail arrives once.
func TestOneInstanceSends(t *testing.T) {
	mp := newMailpit(t)
	s, err := mail.NewSMTP(mp.smtp, "noreply@techbridge.test")
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		var addrs []string
		for range 5 {
			to := uniqueAddress("lease")
			addrs = append(addrs, to)
			if _, err := newService(db).Register(ctx, market.NewAccount{Email: to, Password: "long enough pass", DisplayName: "L"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); newService(db).RunMailOutbox(ctx, s, market.NewID(), 50*time.Millisecond) }()
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			var due []market.OutboxMail
			db.View(ctx, func(tx market.Tx) (err error) { due, err = tx.DueMail(time.Now().AddDate(1, 0, 0), 50); return err })
			if len(due) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		for _, to := range addrs {
			if got := mp.delivered(t, to); len(got) != 1 {
				t.Errorf("%s got %d mails, want 1", to, len(got))
			}
		}
	})
}
