package mail

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"techbridge/market"
)

// Folder "sends" mail by logging it and writing it to a file in Dir, so a
// set-up without an SMTP server still shows every mail, links included.
type Folder struct {
	Dir string
	Log *slog.Logger
}

var _ market.Mailer = Folder{}

// Send writes m as a text file named for its time and key.
func (f Folder) Send(_ context.Context, m market.OutboxMail) error {
	r, err := Render(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return err
	}
	name := time.Now().UTC().Format("20060102T150405Z") + "-" + market.HashSecret(m.Key)[:16] + ".txt"
	body := "To: " + m.To + "\nSubject: " + r.Subject + "\n\n" + r.Text + "\n"
	// The file holds live links (reset, invitation): readable by the owner only.
	if err := os.WriteFile(filepath.Join(f.Dir, name), []byte(body), 0o600); err != nil {
		return err
	}
	if f.Log != nil {
		f.Log.Info("mail (no SMTP server configured; written to the mail folder)", "to", m.To, "subject", r.Subject,
			"file", filepath.Join(f.Dir, name), "link", strings.TrimSpace(m.Data["link"]))
	}
	return nil
}
