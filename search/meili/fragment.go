package meili

import "strings"

// segment is a run of highlighted text, marked or not.
type segment struct {
	text   string
	marked bool
}

// segments splits a Meilisearch-formatted value at its highlight tags.
func segments(s string) []segment {
	var out []segment
	for s != "" {
		i := strings.Index(s, preTag)
		if i < 0 {
			out = append(out, segment{text: s})
			break
		}
		if i > 0 {
			out = append(out, segment{text: s[:i]})
		}
		s = s[i+len(preTag):]
		j := strings.Index(s, postTag)
		if j < 0 { // unbalanced: keep the rest as plain text
			out = append(out, segment{text: s})
			break
		}
		out = append(out, segment{text: s[:j], marked: true})
		s = s[j+len(postTag):]
	}
	return out
}

// fragment renders the segments around the first marked one, keeping up to
// radius characters of context on each side; marked text is never cut, and
// an ellipsis shows where text was left out.
func fragment(segs []segment, radius int) string {
	first := -1
	for i, s := range segs {
		if s.marked {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	var left []string
	budget, cutLeft := radius, false
	for i := first - 1; i >= 0; i-- {
		r := []rune(segs[i].text)
		if budget <= 0 {
			cutLeft = true
			break
		}
		if !segs[i].marked && len(r) > budget {
			left = append(left, string(r[len(r)-budget:]))
			cutLeft = true
			break
		}
		left = append(left, render(segs[i]))
		budget -= len(r)
	}
	var b strings.Builder
	if cutLeft {
		b.WriteString("…")
	}
	for i := len(left) - 1; i >= 0; i-- {
		b.WriteString(left[i])
	}
	b.WriteString(render(segs[first]))
	budget = radius
	for i := first + 1; i < len(segs); i++ {
		r := []rune(segs[i].text)
		if budget <= 0 {
			b.WriteString("…")
			break
		}
		if !segs[i].marked && len(r) > budget {
			b.WriteString(string(r[:budget]) + "…")
			break
		}
		b.WriteString(render(segs[i]))
		budget -= len(r)
	}
	return b.String()
}

func render(s segment) string {
	if s.marked {
		return preTag + s.text + postTag
	}
	return s.text
}
