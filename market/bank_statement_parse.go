package market

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"techbridge/market/ledger"
	"techbridge/market/msgs"
)

// MaxBankStatementLines bounds one import; a month of an escrow account's
// incoming transfers is far below it.
const MaxBankStatementLines = 10000

// bankColumns names the statement's columns by their headers, English or
// the usual Chinese ones, in any order.
var bankColumns = map[string]string{
	"date": "date", "booked_on": "date", "value_date": "date", "日期": "date", "交易日期": "date", "记账日期": "date",
	"amount": "amount", "金额": "amount", "交易金额": "amount", "贷方金额": "amount",
	"currency": "currency", "币种": "currency",
	"reference": "reference", "remittance": "reference", "附言": "reference", "摘要": "reference", "用途": "reference",
	"payer": "payer", "payer_name": "payer", "付款人": "payer", "付款人名称": "payer", "对方户名": "payer",
}

// bankRow is one parsed line of a statement, before matching.
type bankRow struct {
	line BankLine
	key  string // content key before the occurrence count
}

// parseBankStatement reads a CSV statement of incoming transfers (encoding/csv:
// quoted fields, commas and line breaks inside quotes): a header naming
// date, amount, currency, reference and payer, then one transfer a line,
// amounts in major units of their currency ("1,500,000.00", JPY "38200").
// A line that cannot be read is kept as BankLineInvalid with the reason; a
// file without the columns, or beyond MaxBankStatementLines, is refused.
func parseBankStatement(r io.Reader) ([]bankRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Invalid("file", msgs.StatementEmpty)
	}
	if err != nil {
		return nil, Invalid("file", msgs.StatementLineNX, 1, err.Error())
	}
	col := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // Excel's byte-order mark
		}
		if name, ok := bankColumns[strings.ToLower(strings.TrimSpace(h))]; ok {
			col[name] = i
		}
	}
	var missing []string
	for _, c := range []string{"date", "amount", "currency", "reference", "payer"} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, Invalid("file", msgs.StatementColumnsMissingX, strings.Join(missing, ", "))
	}
	var rows []bankRow
	for lineNo := 2; ; lineNo++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if len(rows) == MaxBankStatementLines {
			return nil, Invalid("file", msgs.StatementAtMostNLines, MaxBankStatementLines)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			raw := "(unreadable: " + pe.Err.Error() + ")"
			rows = append(rows, bankRow{key: "raw\x00" + raw, line: BankLine{LineNo: lineNo, Raw: raw,
				Status: BankLineInvalid, Reason: BankReasonUnreadable, Detail: pe.Error()}})
			continue
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, parseBankRecord(rec, col, lineNo))
	}
	return rows, nil
}

// parseBankRecord reads one record; what cannot be read makes the line
// invalid, keeping its raw text.
func parseBankRecord(rec []string, col map[string]int, lineNo int) bankRow {
	field := func(name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	raw := strings.Join(rec, ",")
	if !utf8.ValidString(raw) || len(raw) > 4000 {
		raw = strings.ToValidUTF8(raw, "\uFFFD")
		if len(raw) > 4000 {
			raw = raw[:4000]
		}
		return bankRow{key: "raw\x00" + raw, line: BankLine{LineNo: lineNo, Raw: raw, Status: BankLineInvalid,
			Reason: BankReasonUnreadable, Detail: msgs.English(msgs.BankLineNotText)}}
	}
	l := BankLine{LineNo: lineNo, Raw: raw, Currency: strings.ToUpper(field("currency")),
		Reference: field("reference"), Payer: field("payer")}
	invalid := func(format msgs.Code, args ...any) bankRow {
		l.Status, l.Reason = BankLineInvalid, BankReasonUnreadable
		l.Detail = Errorf(EINVALID, format, args...).Message
		return bankRow{key: "raw\x00" + raw, line: l}
	}
	date := field("date")
	for _, layout := range []string{"2006-01-02", "2006/01/02", "20060102", "2006.01.02"} {
		if t, err := time.Parse(layout, date); err == nil {
			l.BookedOn = t.Format("2006-01-02")
			break
		}
	}
	if l.BookedOn == "" {
		return invalid(msgs.BankDateUnreadableX, date)
	}
	amount, err := ledger.Parse(field("amount"), l.Currency)
	if err != nil {
		return invalid(msgs.BankAmountUnreadableXXX, field("amount"), l.Currency, ErrorMessage(MoneyError(err)))
	}
	if amount == 0 {
		return invalid(msgs.BankAmountZero)
	}
	l.Amount = amount
	if utf8.RuneCountInString(l.Reference) > 500 || utf8.RuneCountInString(l.Payer) > 500 {
		return invalid(msgs.BankTextTooLong)
	}
	key := strings.Join([]string{l.BookedOn, ledger.Plain(l.Amount, l.Currency), l.Reference, l.Payer}, "\x00")
	return bankRow{key: key, line: l}
}
