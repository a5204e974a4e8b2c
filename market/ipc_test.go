package market

import "testing"

func TestNormalizeIPC(t *testing.T) {
	cases := []struct{ in, want string }{
		{"H01M", "H01M"},
		{"h01m", "H01M"},
		{"H01M 10/54", "H01M 10/54"},
		{"H01M10/54", "H01M 10/54"},
		{" H01M  10 / 054 ", "H01M 10/054"},
		{"H01M 010/54", "H01M 10/54"},
		{"G06F 16/00", "G06F 16/00"},
		{"Y02E", "Y02E"},
		{"H01M 0/54", ""},
		{"H01", ""},
		{"I01M", ""},
		{"H1M", ""},
		{"H01M 10", ""},
		{"H01M 10/5", ""},
		{"H01M/54", ""},
		{"", ""},
		{"H01M 10/54; G06F", ""},
	}
	for _, c := range cases {
		got, ok := NormalizeIPC(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("NormalizeIPC(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

func FuzzNormalizeIPC(f *testing.F) {
	for _, s := range []string{"H01M", "H01M 10/54", "h01m10/054", "Y02E 60/10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeIPC(s)
		if !ok {
			return
		}
		again, ok2 := NormalizeIPC(n)
		if !ok2 || again != n {
			t.Fatalf("canonical form %q of %q does not normalise to itself (%q)", n, s, again)
		}
	})
}

func TestFieldFromIPC(t *testing.T) {
	cases := []struct {
		ipc  []string
		want string
	}{
		{[]string{"H01M 10/54"}, "energy_storage"},
		{[]string{"G06N"}, "ai"},
		{[]string{"G06F"}, "software"},
		{[]string{"A61K 36/00"}, "tcm"},
		{[]string{"A61K"}, "biomedicine"},
		{[]string{"Z99"}, FieldOther},
		{nil, FieldOther},
	}
	for _, c := range cases {
		if got := FieldFromIPC(c.ipc); got != c.want {
			t.Errorf("FieldFromIPC(%v) = %s, want %s", c.ipc, got, c.want)
		}
	}
	for _, field := range ipcFieldPrefixes {
		if !ValidField(field) {
			t.Errorf("IPC map names unknown field %q", field)
		}
	}
	if n := len(TechFields); n < 20 || n > 40 {
		t.Errorf("taxonomy has %d fields, want 20..40", n)
	}
}
