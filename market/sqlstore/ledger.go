package sqlstore

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"techbridge/market"
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
		var stored int64
		if err := t.queryRow(`SELECT balance FROM ledger_balances WHERE account = $1 AND currency = $2`+lock,
			string(k.Account), k.Currency).Scan(&stored); err != nil {
			return mapErr(err)
		}
		var sum int64
		if err := t.queryRow(`SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = $1 AND currency = $2`,
			string(k.Account), k.Currency).Scan(&sum); err != nil {
			return mapErr(err)
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
			return market.Errorf(market.ECONFLICT, "ledger transaction %s is already booked", tr.IdempotencyKey)
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
		return nil, &market.Error{Code: market.ENOTFOUND, Message: "ledger transaction " + key + " not found"}
	}
	return &txs[0], nil
}

// AccountBalances sums the entries of the given accounts.
func (t *Tx) AccountBalances(accounts ...market.AccountKey) (market.Balances, error) {
	b := market.Balances{}
	for _, a := range accounts {
		rows, err := t.query(`SELECT currency, SUM(amount) FROM ledger_entries WHERE account = $1 GROUP BY currency`, string(a))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var cur string
			var sum int64
			if err := rows.Scan(&cur, &sum); err != nil {
				rows.Close()
				return nil, err
			}
			b[market.BalanceKey{Account: a, Currency: cur}] = sum
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// StoredBalances returns every balance row.
func (t *Tx) StoredBalances() (market.Balances, error) {
	rows, err := t.query(`SELECT account, currency, balance FROM ledger_balances`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	b := market.Balances{}
	for rows.Next() {
		var acc, cur string
		var bal int64
		if err := rows.Scan(&acc, &cur, &bal); err != nil {
			return nil, err
		}
		b[market.BalanceKey{Account: market.AccountKey(acc), Currency: cur}] = bal
	}
	return b, rows.Err()
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
