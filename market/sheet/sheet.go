// Package sheet writes a table (a header row and data rows of text) as CSV
// or as an XLSX workbook, the two forms spreadsheets open.
package sheet

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a header and rows of cells; Numeric marks the columns whose
// cells are decimals an XLSX sheet should hold as numbers.
type Table struct {
	Header  []string
	Rows    [][]string
	Numeric []bool
}

// WriteCSV writes the table as UTF-8 CSV starting with a byte-order mark,
// so Excel on a Chinese Windows reads the headings. A cell a spreadsheet
// would run as a formula gets a leading apostrophe.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		out := make([]string, len(row))
		for i, cell := range row {
			out[i] = DefuseFormula(cell)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the table as a workbook of one sheet named name.
// Numeric columns hold numbers (decimals within 2^53 are exact); text
// stays text, so no cell is ever a formula.
func WriteXLSX(w io.Writer, name string, t Table) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	if name != "" {
		if err := x.SetSheetName(sheet, name); err != nil {
			return err
		}
		sheet = name
	}
	put := func(row int, cells []string, header bool) error {
		for j, cell := range cells {
			ref, err := excelize.CoordinatesToCellName(j+1, row)
			if err != nil {
				return err
			}
			var v any = cell
			if !header && j < len(t.Numeric) && t.Numeric[j] {
				if f, err := strconv.ParseFloat(cell, 64); err == nil {
					v = f
				}
			}
			if err := x.SetCellValue(sheet, ref, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(1, t.Header, true); err != nil {
		return err
	}
	for i, row := range t.Rows {
		if err := put(i+2, row, false); err != nil {
			return err
		}
	}
	return x.Write(w)
}

// DefuseFormula prefixes an apostrophe to a cell starting with a character
// a spreadsheet treats as a formula, so an organisation's name cannot run
// code on the reader's machine.
func DefuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
