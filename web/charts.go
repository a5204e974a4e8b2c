package web

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// A small SVG renderer for the statistics charts, chosen over
// go-analyze/charts v0.6.4 after measuring both on the same horizontal bar
// chart of ten Chinese labels and two series (README, Performance): the
// library took 1.4–3.9 ms and 6.2 kB per chart, this one 0.04–0.2 ms and
// 3.4 kB (two runs, measured under load). The commission's page draws
// nineteen charts, so the library alone could spend its 50 ms budget; and
// the library sizes text by an embedded Latin font, while these charts
// use the page's own font and colours.

// chartSeries is one named row of values.
type chartSeries struct {
	Name   string
	Values []int64
}

// chartPalette colours the series (two are shown at most).
var chartPalette = []string{"#1f5fa8", "#d9822b", "#3b8b5a"}

// barChart draws horizontal bars: one group per label, one bar per
// series, each bar labelled with its number.
func barChart(title string, labels []string, series []chartSeries) template.HTML {
	const (
		labelW = 150
		barH   = 14
		gap    = 10
		width  = 560
		valueW = 70
	)
	var peak int64 = 1
	for _, s := range series {
		for _, v := range s.Values {
			peak = max(peak, v)
		}
	}
	groupH := barH*len(series) + gap
	height := groupH*len(labels) + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="%d" height="%d" font-size="12"><title>%s</title>`,
		width, height, width, height, html.EscapeString(title))
	plot := float64(width - labelW - valueW)
	for i, l := range labels {
		y := i*groupH + 4
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-6, y+barH*len(series)/2+4, html.EscapeString(shorten(l, 18)))
		for j, s := range series {
			v := int64(0)
			if i < len(s.Values) {
				v = s.Values[i]
			}
			w := int(plot * float64(max(v, 0)) / float64(peak))
			by := y + j*barH
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %s</title></rect>`,
				labelW, by, max(w, 1), barH-2, chartPalette[j%len(chartPalette)], html.EscapeString(s.Name), strconv.FormatInt(v, 10))
			fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, labelW+w+4, by+barH-4, strconv.FormatInt(v, 10))
		}
	}
	legend(&b, series, height-10)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// lineChart draws one or two series over labelled points (months).
func lineChart(title string, labels []string, series []chartSeries) template.HTML {
	const (
		width, height = 560, 220
		left, right   = 50, 10
		top, bottom   = 10, 50
	)
	var peak int64 = 1
	for _, s := range series {
		for _, v := range s.Values {
			peak = max(peak, v)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="%d" height="%d" font-size="11"><title>%s</title>`,
		width, height, width, height, html.EscapeString(title))
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 {
		if len(labels) < 2 {
			return float64(left) + plotW/2
		}
		return float64(left) + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v int64) float64 { return float64(top) + plotH*(1-float64(max(v, 0))/float64(peak)) }
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>`, left, height-bottom, width-right, height-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text><text x="%d" y="%d" text-anchor="end">0</text>`,
		left-4, top+8, peak, left-4, height-bottom)
	step := max(1, len(labels)/6)
	for i, l := range labels {
		if i%step == 0 || i == len(labels)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x(i), height-bottom+14, html.EscapeString(l))
		}
	}
	for j, s := range series {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		colour := chartPalette[j%len(chartPalette)]
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, colour, strings.Join(pts, " "))
		for i, v := range s.Values {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %d</title></circle>`,
				x(i), y(v), colour, html.EscapeString(labels[i]), html.EscapeString(s.Name), v)
		}
	}
	legend(&b, series, height-8)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func legend(b *strings.Builder, series []chartSeries, y int) {
	x := 10
	for j, s := range series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`,
			x, y-9, chartPalette[j%len(chartPalette)], x+14, y, html.EscapeString(s.Name))
		x += 24 + 12*len([]rune(s.Name))
	}
}

// shorten cuts a label to n runes with an ellipsis (the table beside the
// chart has it whole).
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
