package market

import (
	"strings"
	"testing"
)

func readAll(t *testing.T, format, text string) []ImportLine {
	t.Helper()
	var out []ImportLine
	if err := ReadImport(strings.NewReader(text), format, func(l ImportLine) error {
		out = append(out, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReadImportJSONL(t *testing.T) {
	lines := readAll(t, ImportJSONL, `{"external_id": "A1", "title": "t", "ipc": ["H01M"], "trl": 4, "label": ["x"], "price_min": 100}

{"external_id": "A2", "title": "t", "trl": "high"}
not json
{"external_id": "A3", "title": "t", "keywords": "one"}
`)
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4 (blank skipped)", len(lines))
	}
	if l := lines[0]; l.Err != nil || l.Line != 1 || l.Record.ExternalID != "A1" || *l.Record.TRL != 4 || l.Record.PriceMin != 100 {
		t.Fatalf("line 1 = %+v", l)
	}
	wantField := map[int]string{3: "trl", 4: "line", 5: "keywords"}
	for _, l := range lines[1:] {
		e, _ := l.Err.(*Error)
		if e == nil || e.Fields[0].Field != wantField[l.Line] {
			t.Errorf("line %d: err %v, want field %s", l.Line, l.Err, wantField[l.Line])
		}
	}
}

func TestReadImportCSV(t *testing.T) {
	lines := readAll(t, ImportCSV, "\ufeffexternal_id,title,keywords,ipc,trl,price_min,price_max,label\n"+
		"C1,\"固态电池, 电解质\",电池;电解质,H01M 10/54|H01M,5,100,200,ignored\n"+
		"C2,broken line,only three\n"+
		"C3,t,,,x,,,\n"+
		"C4,\"multi\nline title\",,,,,,\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4", len(lines))
	}
	r := lines[0].Record
	if lines[0].Err != nil || r.Title != "固态电池, 电解质" || len(r.Keywords) != 2 || len(r.IPC) != 2 || r.IPC[0] != "H01M 10/54" || *r.TRL != 5 || r.PriceMax != 200 {
		t.Fatalf("line 2 = %+v, %v", r, lines[0].Err)
	}
	if lines[1].Err == nil || lines[1].Line != 3 {
		t.Errorf("broken line: %+v", lines[1])
	}
	if e, _ := lines[2].Err.(*Error); e == nil || e.Fields[0].Field != "trl" || lines[2].Line != 4 {
		t.Errorf("bad trl: %+v", lines[2])
	}
	if lines[3].Err != nil || lines[3].Line != 5 || lines[3].Record.ExternalID != "C4" {
		t.Errorf("quoted newline: %+v", lines[3])
	}
	if err := ReadImport(strings.NewReader("external_id,name\nx,y\n"), ImportCSV, func(ImportLine) error { return nil }); ErrorCode(err) != EINVALID {
		t.Errorf("CSV without title column: %v", err)
	}
}
