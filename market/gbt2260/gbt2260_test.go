package gbt2260

import "testing"

func TestLookup(t *testing.T) {
	for code, want := range map[string]string{
		"310000": "上海市",
		"310110": "上海市 杨浦区",
		"320100": "江苏省 南京市",
		"320102": "江苏省 南京市 玄武区",
		"110101": "北京市 东城区",
	} {
		d, ok := Lookup(code)
		if !ok || d.FullName != want {
			t.Errorf("Lookup(%s) = %+v %v, want %s", code, d, ok, want)
		}
	}
	for _, bad := range []string{"", "31011", "310199", "abcdef", "310100"} {
		if d, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) = %+v, want none", bad, d)
		}
	}
}

func TestProvincesCoverEveryDivision(t *testing.T) {
	ps := Provinces()
	if len(ps) != 31 {
		t.Fatalf("%d provinces, want the 31 of the mainland", len(ps))
	}
	n := len(ps)
	for _, p := range ps {
		n += len(p.Divisions)
	}
	if n != len(byCode) || n < 3000 {
		t.Fatalf("%d divisions listed, %d known", n, len(byCode))
	}
}
