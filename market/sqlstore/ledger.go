package sqlstore

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

// PostTransaction books t. The balance rows of the accounts it touches are
// created if new and, on PostgreSQL, locked in key order with FOR UPDATE,
// so two postings on one account run one after the other and each checks
// CanPost against the sums the other committed (SQLite has one writer
// anyway). The check uses the sums of the entries, the ledger's truth; the
// balance rows follow them and `ledger check` proves they agree.
func (t *Tx) PostTransaction(tr market.Transaction) error {
	if err := tr.Validate(); err != nil {
		return err
	}
	keys := make([]market.BalanceKey, 0, len(tr.Entries))
	for _, e := range tr.Entries {
		keys = append(keys, market.BalanceKey{Account: e.Account, Currency: e.Currency})
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Account != keys[j].Account {
			return keys[i].Account < keys[j].Account
		}
		return keys[i].Currency < keys[j].Currency
	})
	current := market.Balances{}
	for _, k := range keys {
		if _, err := t.exec(`INSERT INTO ledger_balances (account, currency, balance) VALUES ($1, $2, 0)
			ON CONFLICT (account, currency) DO NOTHING`, string(k.Account), k.Currency); err != nil {
			return err
		}
		lock := ""
		if t.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		// The row is read only to lock it; as text, so a row edited out of
		// range cannot fail the scan.
		var stored string
		if err := t.queryRow(`SELECT CAST(balance AS TEXT) FROM ledger_balances WHERE account = $1 AND currency = $2`+lock,
			string(k.Account), k.Currency).Scan(&stored); err != nil {
			return mapErr(err)
		}
		sum, err := t.entrySum(k.Account, k.Currency)
		if err != nil {
			return err
		}
		current[k] = sum
	}
	if err := current.CanPost(tr); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO ledger_transactions (id, kind, idempotency_key, currency, at, deal_id, milestone_id, org_id, external_ref)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, tr.ID, tr.Kind, tr.IdempotencyKey, tr.Currency, tr.At.UTC(),
		tr.Refs.DealID, tr.Refs.MilestoneID, tr.Refs.OrgID, tr.Refs.External); err != nil {
		if market.ErrorCode(err) == market.ECONFLICT {
			return market.Errorf(market.ECONFLICT, msgs.LedgerTransactionXAlreadyBooked, tr.IdempotencyKey)
		}
		return err
	}
	for i, e := range tr.Entries {
		if _, err := t.exec(`INSERT INTO ledger_entries (transaction_id, line, account, amount, currency) VALUES ($1, $2, $3, $4, $5)`,
			tr.ID, i+1, string(e.Account), e.Amount, e.Currency); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE ledger_balances SET balance = balance + $1 WHERE account = $2 AND currency = $3`,
			e.Amount, string(e.Account), e.Currency); err != nil {
			return err
		}
	}
	return nil
}

// TransactionByKey returns the transaction booked under key.
func (t *Tx) TransactionByKey(key string) (*market.Transaction, error) {
	txs, err := t.ledgerQuery(`t.idempotency_key = $1`, []any{key}, 0)
	if err != nil {
		return nil, err
	}
	if len(txs) == 0 {
		return nil, market.Errorf(market.ENOTFOUND, msgs.LedgerTxNotFound, key)
	}
	return &txs[0], nil
}

// AccountBalances sums the entries of the given accounts. A sum beyond the
// ledger's bounds is a *market.UnreadableBalance (joined, one per account
// and currency) beside the balances that could be read.
func (t *Tx) AccountBalances(accounts ...market.AccountKey) (market.Balances, error) {
	b := market.Balances{}
	var bad []error
	for _, a := range accounts {
		var curs []string
		rows, err := t.query(`SELECT DISTINCT currency FROM ledger_entries WHERE account = $1`, string(a))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var cur string
			if err := rows.Scan(&cur); err != nil {
				rows.Close()
				return nil, err
			}
			curs = append(curs, cur)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, cur := range curs {
			sum, err := t.entrySum(a, cur)
			var u *market.UnreadableBalance
			if errors.As(err, &u) {
				bad = append(bad, u)
				continue
			} else if err != nil {
				return nil, err
			}
			b[market.BalanceKey{Account: a, Currency: cur}] = sum
		}
	}
	return b, errors.Join(bad...)
}

// entrySum is the sum of an account's entries in one currency. SQLite's
// SUM raises an error on an integer overflow, so there the float TOTAL is
// asked first and the exact SUM only when it is within the bounds;
// PostgreSQL sums bigint as numeric, read back as text. A sum beyond
// ±ledger.MaxBalance is a *market.UnreadableBalance naming the account.
func (t *Tx) entrySum(a market.AccountKey, currency string) (int64, error) {
	if t.dialect == SQLite {
		var total float64
		if err := t.queryRow(`SELECT TOTAL(amount) FROM ledger_entries WHERE account = $1 AND currency = $2`,
			string(a), currency).Scan(&total); err != nil {
			return 0, mapErr(err)
		}
		if math.Abs(total) > 2*float64(ledger.MaxBalance) {
			return 0, &market.UnreadableBalance{Account: a, Currency: currency, Value: strconv.FormatFloat(total, 'g', -1, 64)}
		}
	}
	var raw string
	if err := t.queryRow(`SELECT CAST(COALESCE(SUM(amount), 0) AS TEXT) FROM ledger_entries WHERE account = $1 AND currency = $2`,
		string(a), currency).Scan(&raw); err != nil {
		return 0, mapErr(err)
	}
	v, ok := boundedBalance(raw)
	if !ok {
		return 0, &market.UnreadableBalance{Account: a, Currency: currency, Value: raw}
	}
	return v, nil
}

// boundedBalance parses a balance the database gave back as text; it must
// be an integer within ±ledger.MaxBalance.
func boundedBalance(raw string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	return v, err == nil && v <= ledger.MaxBalance && v >= -ledger.MaxBalance
}

// StoredBalances returns every balance row; rows that are not integers
// within the ledger's bounds (edited by hand, or overflowed into a REAL on
// SQLite before the bounds existed) come back as joined
// *market.UnreadableBalance errors beside the rows that could be read.
func (t *Tx) StoredBalances() (market.Balances, error) {
	rows, err := t.query(`SELECT account, currency, CAST(balance AS TEXT) FROM ledger_balances ORDER BY account, currency`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	b := market.Balances{}
	var bad []error
	for rows.Next() {
		var acc, cur, raw string
		if err := rows.Scan(&acc, &cur, &raw); err != nil {
			return nil, err
		}
		k := market.BalanceKey{Account: market.AccountKey(acc), Currency: cur}
		v, ok := boundedBalance(raw)
		if !ok {
			bad = append(bad, &market.UnreadableBalance{Account: k.Account, Currency: cur, Value: raw, Stored: true})
			continue
		}
		b[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return b, errors.Join(bad...)
}

// LedgerTransactions returns transactions in id (booking) order.
func (t *Tx) LedgerTransactions(f market.LedgerFilter) ([]market.Transaction, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.DealID != "" {
		where = append(where, "t.deal_id = "+arg(f.DealID))
	}
	if f.Account != "" {
		where = append(where, "t.id IN (SELECT transaction_id FROM ledger_entries WHERE account = "+arg(string(f.Account))+")")
	}
	if f.After != "" {
		where = append(where, "t.id > "+arg(f.After))
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	return t.ledgerQuery(cond, args, f.Limit)
}

// ledgerQuery loads the transactions matching cond (over alias t) with
// their entries, limit transactions at most (0 = all).
func (t *Tx) ledgerQuery(cond string, args []any, limit int) ([]market.Transaction, error) {
	sel := "SELECT t.id FROM ledger_transactions t WHERE " + cond + " ORDER BY t.id"
	if limit > 0 {
		sel += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := t.query(`SELECT t.id, t.kind, t.idempotency_key, t.currency, t.at, t.deal_id, t.milestone_id, t.org_id, t.external_ref,
		e.account, e.amount, e.currency
		FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
		WHERE t.id IN (`+sel+`) ORDER BY t.id, e.line`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Transaction
	for rows.Next() {
		var tr market.Transaction
		var e market.Entry
		var acc string
		var at time.Time
		if err := rows.Scan(&tr.ID, &tr.Kind, &tr.IdempotencyKey, &tr.Currency, &at, &tr.Refs.DealID, &tr.Refs.MilestoneID,
			&tr.Refs.OrgID, &tr.Refs.External, &acc, &e.Amount, &e.Currency); err != nil {
			return nil, err
		}
		e.Account = market.AccountKey(acc)
		if n := len(out); n > 0 && out[n-1].ID == tr.ID {
			out[n-1].Entries = append(out[n-1].Entries, e)
			continue
		}
		tr.At = at.UTC()
		tr.Entries = []market.Entry{e}
		out = append(out, tr)
	}
	return out, rows.Err()
}
