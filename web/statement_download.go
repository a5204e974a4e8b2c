package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"github.com/xuri/excelize/v2"

	"techbridge/market"
	"techbridge/market/ledger"
)

// statementColumns are the download's columns, in the page's language.
var statementColumns = map[string][]string{
	langZH: {"币种", "付款", "收入", "已付出", "应付余额", "托管中", "本方费用", "经纪收入"},
	langEN: {"Currency", "Paid", "Received", "Paid out", "Owed", "Held", "Fees", "Earnings"},
}

// statementDownload answers GET /my/finance/statement.csv and .xlsx:
// one organisation's statement (?org=, members and admins) over a period
// (?from=, ?to=, dates, to exclusive). Amounts are decimals in the
// currency's own minor units (JPY none, CNY two, KWD three), beside the
// currency code, so a spreadsheet sums them as numbers. The CSV starts
// with a UTF-8 byte-order mark so that Excel reads the Chinese headings.
func (s *Server) statementDownload(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		q := r.URL.Query()
		orgID := q.Get("org")
		if orgID == "" {
			if ids := v.Actor.OrgIDs(); len(ids) > 0 {
				orgID = ids[0]
			}
		}
		var period market.Period
		var f market.Fields
		for name, at := range map[string]*time.Time{"from": &period.From, "to": &period.To} {
			if s := strings.TrimSpace(q.Get(name)); s != "" {
				d, err := time.Parse(time.DateOnly, s)
				if err != nil {
					f.Add(name, msgs.DateYYYYMMDD)
				}
				*at = d
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		sts, err := s.svc.OrganizationStatementsIn(r.Context(), v.Actor, orgID, period)
		if err != nil {
			return err
		}
		rows := [][]string{statementColumns[v.Lang]}
		if rows[0] == nil {
			rows[0] = statementColumns[langEN]
		}
		for _, st := range sts {
			row := []string{st.Currency}
			for _, a := range []int64{st.Paid, st.Received, st.PaidOut, st.Owed, st.Held, st.Fees, st.Earnings} {
				row = append(row, ledger.Major(a, st.Currency))
			}
			rows = append(rows, row)
		}
		name := "statement-" + orgID
		if format == "csv" {
			var b bytes.Buffer
			b.WriteString("\ufeff")
			cw := csv.NewWriter(&b)
			if err := cw.WriteAll(rows); err != nil {
				return err
			}
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
			_, err := w.Write(b.Bytes())
			return err
		}
		x := excelize.NewFile()
		defer x.Close()
		sheet := x.GetSheetName(0)
		for i, row := range rows {
			for j, cell := range row {
				ref, err := excelize.CoordinatesToCellName(j+1, i+1)
				if err != nil {
					return err
				}
				var val any = cell
				if i > 0 && j > 0 { // amounts as numbers, so the sheet can sum them
					val = excelNumber(cell)
				}
				if err := x.SetCellValue(sheet, ref, val); err != nil {
					return err
				}
			}
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		return x.Write(w)
	}
}

// excelNumber turns a decimal amount into a number for the spreadsheet
// cell; amounts within 10^15 minor units are below 2^53, exact in a float.
func excelNumber(s string) any {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return f
}
