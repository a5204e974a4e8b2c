package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"techbridge/market"
)

// SMTP sends mail through a relay named by a URL such as
// smtp://user:pass@host:587: STARTTLS when the server offers it, SMTP
// authentication when the URL has a user.
type SMTP struct {
	host string
	opts []gomail.Option
	from string
}

var _ market.Mailer = (*SMTP)(nil)

// NewSMTP parses rawURL (smtp://[user:pass@]host[:port], port 25 by
// default) and the sender address.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: SMTP URL must look like smtp://user:pass@host:port, got %q", rawURL)
	}
	if !market.ValidEmail(from) {
		return nil, fmt.Errorf("mail: sender address %q is not a bare email address", from)
	}
	port := 25
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad port in %q", rawURL)
		}
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTLSPortPolicy(gomail.TLSOpportunistic),
		gomail.WithTimeout(30 * time.Second)}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTP{host: u.Hostname(), opts: opts, from: from}, nil
}

// Send renders m and delivers it in one SMTP session. The Message-ID
// derives from the outbox key, so if a crash between delivery and the
// outbox's record makes it send again, receivers can tell the copy.
func (s *SMTP) Send(ctx context.Context, m market.OutboxMail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// message builds the MIME message: plain text with an HTML alternative.
func (s *SMTP) message(m market.OutboxMail) (*gomail.Msg, error) {
	r, err := Render(m)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(r.Subject)
	msg.SetMessageIDWithValue(messageID(m.Key, s.from))
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, r.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return msg, nil
}

// messageID is a stable id for an outbox key at the sender's domain.
func messageID(key, from string) string {
	return market.HashSecret(key)[:32] + "@" + from[strings.LastIndexByte(from, '@')+1:]
}
