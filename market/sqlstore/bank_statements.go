package sqlstore

import (
	"strconv"

	"techbridge/market"
	"techbridge/market/msgs"
)

const bankLineColumns = `id, line_key, import_id, line_no, raw, booked_on, amount, currency, reference, payer,
	status, reason, detail, milestone_id, imported_by, imported_at`

func scanBankLine(row scanner) (market.BankLine, error) {
	var l market.BankLine
	err := row.Scan(&l.ID, &l.Key, &l.ImportID, &l.LineNo, &l.Raw, &l.BookedOn, &l.Amount, &l.Currency, &l.Reference,
		&l.Payer, &l.Status, &l.Reason, &l.Detail, &l.MilestoneID, &l.ImportedBy, &l.ImportedAt)
	l.ImportedAt = l.ImportedAt.UTC()
	return l, err
}

// CreateBankLine stores a statement line; ECONFLICT when its key is taken.
func (t *Tx) CreateBankLine(l *market.BankLine) error {
	_, err := t.exec(`INSERT INTO bank_statement_lines (`+bankLineColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		l.ID, l.Key, l.ImportID, l.LineNo, l.Raw, l.BookedOn, l.Amount, l.Currency, l.Reference, l.Payer,
		l.Status, l.Reason, l.Detail, l.MilestoneID, l.ImportedBy, l.ImportedAt.UTC())
	return err
}

// BankLineByKey loads the line imported under a content key.
func (t *Tx) BankLineByKey(key string) (*market.BankLine, error) {
	l, err := scanBankLine(t.queryRow(`SELECT `+bankLineColumns+` FROM bank_statement_lines WHERE line_key = $1`, key))
	if err != nil {
		return nil, notFound(err, "bank statement line")
	}
	return &l, nil
}

// ListBankLines lists lines newest first, by status when given.
func (t *Tx) ListBankLines(f market.BankLineFilter) ([]market.BankLine, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT ` + bankLineColumns + ` FROM bank_statement_lines`
	args := []any{}
	if f.Status != "" {
		q += ` WHERE status = $1`
		args = append(args, f.Status)
	}
	rows, err := t.query(q+` ORDER BY imported_at DESC, line_no DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.BankLine
	for rows.Next() {
		l, err := scanBankLine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// MilestoneByEscrowReference finds a milestone by the last twelve hex
// characters of its id (market.EscrowReference), through the expression
// index milestones_escrow_reference.
func (t *Tx) MilestoneByEscrowReference(code string) (*market.Milestone, error) {
	rows, err := t.query(`SELECT `+milestoneColumns+` FROM milestones
		WHERE upper(substr(replace(id, '-', ''), 21, 12)) = $1 LIMIT 2`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []*market.Milestone
	for rows.Next() {
		m, err := scanMilestone(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(found) != 1 { // none, or (48 random bits colliding) not one we can name
		return nil, market.Errorf(market.ENOTFOUND, msgs.BankNoMilestoneX, code)
	}
	return found[0], nil
}
