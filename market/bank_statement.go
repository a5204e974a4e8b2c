package market

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Statuses of a bank-statement line.
const (
	BankLineMatched    = "matched"    // it funded the milestone its reference names
	BankLineUnmatched  = "unmatched"  // no awaiting milestone has its reference
	BankLineMismatched = "mismatched" // a milestone has its reference, but the money is not what it awaits
	BankLineInvalid    = "invalid"    // the line could not be read
)

// Reasons a line was not matched, for the finance desk (the pages
// translate them; Detail says the same in English with the figures).
const (
	BankReasonNoReference    = "no_reference"     // no TB- reference in the line
	BankReasonNoMilestone    = "no_milestone"     // the reference names no milestone
	BankReasonNotAwaiting    = "not_awaiting"     // the milestone is not waiting for its funding
	BankReasonCurrency       = "currency_differs" // another currency than the milestone's
	BankReasonAmount         = "amount_differs"   // another amount than the buyer owes
	BankReasonCardPayment    = "card_payment"     // the deal pays by card, confirmed by the provider
	BankReasonUnreadable     = "unreadable"       // a field could not be read
	BankReasonFundingRefused = "funding_refused"  // the ledger refused the funding
)

// BankLine is one line of an imported statement of the escrow account,
// kept whatever became of it.
type BankLine struct {
	ID          string
	Key         string // content key: the same line imported again is this line
	ImportID    string // the import that brought it
	LineNo      int    // its line in that file (1 = the header)
	Raw         string // the line as read, fields joined by commas
	BookedOn    string // YYYY-MM-DD
	Amount      int64  // minor units of Currency
	Currency    string
	Reference   string // the bank's remittance text, where the buyer quoted TB-…
	Payer       string
	Status      string // BankLine*
	Reason      string // BankReason*, "" when matched
	Detail      string // English, with the figures, for logs and the API
	MilestoneID string // the milestone it funded or concerns; "" when none
	ImportedBy  string
	ImportedAt  time.Time
}

// BankLineFilter selects lines, newest first.
type BankLineFilter struct {
	Status string // "" = every status
	Limit  int
}

// BankStatementTx persists bank-statement lines.
type BankStatementTx interface {
	// CreateBankLine inserts l; ECONFLICT when its Key was imported before.
	CreateBankLine(l *BankLine) error
	BankLineByKey(key string) (*BankLine, error)
	ListBankLines(f BankLineFilter) ([]BankLine, error)
	// MilestoneByEscrowReference finds the milestone whose EscrowReference
	// ends in code (twelve upper-case hex characters).
	MilestoneByEscrowReference(code string) (*Milestone, error)
}

// BankImport is what one import did, line by line, in file order.
type BankImport struct {
	ImportID string
	Lines    []BankImportLine
}

// BankImportLine is one line and whether it was imported before (then
// Line is the stored one, unchanged).
type BankImportLine struct {
	Line      BankLine
	Duplicate bool
}

// Count returns how many lines of the import have the status (duplicates
// counted by their stored status) and how many of those were duplicates.
func (b BankImport) Count(status string) (n, duplicates int) {
	for _, l := range b.Lines {
		if l.Line.Status == status {
			n++
			if l.Duplicate {
				duplicates++
			}
		}
	}
	return n, duplicates
}

// bankLineKey derives a line's key from its content and its occurrence
// among identical lines of the file: re-importing a file, or a later
// statement that repeats it, finds the same keys, while two identical
// transfers in one statement stay two lines.
func bankLineKey(content string, occurrence int) string {
	sum := sha256.Sum256([]byte(content + "\x00" + strconv.Itoa(occurrence)))
	return hex.EncodeToString(sum[:])
}

// escrowCode finds the TB- reference in a bank's remittance text (banks
// add their own words and may drop the dash or the case) and returns its
// twelve hex characters.
func escrowCode(reference string) (string, bool) {
	s := strings.ToUpper(reference)
	for i := strings.Index(s, "TB"); i >= 0; {
		rest := strings.TrimLeft(s[i+2:], "- ")
		if len(rest) >= 12 && isHex(rest[:12]) && (len(rest) == 12 || !isHexByte(rest[12])) {
			return rest[:12], true
		}
		j := strings.Index(s[i+2:], "TB")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return "", false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexByte(s[i]) {
			return false
		}
	}
	return true
}

func isHexByte(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }
