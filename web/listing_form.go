package web

import (
	"errors"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// listingFormPage is the one form page behind the outcome, scenario and
// proposal forms: sections of controls built in Go (labels already in the
// page language), so the template only lays them out.
type listingFormPage struct {
	TitleKey, LeadKey, SubmitKey string
	Action                       string // where the form posts
	Cancel                       string // where "cancel" leads
	Hidden                       []option
	Form                         *form
	Sections                     []formSection
	Context                      *formContext // what is being answered, for proposals
	Locked                       string       // why the form cannot be sent (not a draft); "" when it can
	Empty                        string       // why there is no form at all (no organisation may write this)
}

// formSection is a fieldset of the form.
type formSection struct {
	Legend   string
	Controls []control
}

// formContext is a box above the form naming what it is about.
type formContext struct {
	Heading, Title, Href, Text string
}

// control is one input of a listing form with its value and error in place.
type control struct {
	Kind                                string // text, number, date, textarea, select, checks
	ID, Name, Label, Hint, Value, Error string
	Placeholder                         string
	Required, Wide                      bool
	Rows                                int
	Options                             []choice
}

// choice is an option of a select or a checkbox of a group.
type choice struct {
	Value, Label string
	Selected     bool
}

// controls builds the controls of one form in one language.
type controls struct {
	lang string
	f    *form
}

func (c controls) base(kind, name, labelKey string) control {
	c.f.label(name, translate(c.lang, labelKey))
	return control{Kind: kind, ID: "f-" + name, Name: name, Label: translate(c.lang, labelKey),
		Value: c.f.Value(name), Error: c.f.Err(name)}
}

// input is a one-line input of typ (text, number, date).
func (c controls) input(typ, name, labelKey, hintKey string, required bool) control {
	k := c.base(typ, name, labelKey)
	k.Required = required
	if hintKey != "" {
		k.Hint = translate(c.lang, hintKey)
	}
	return k
}

// area is a textarea spanning the form's width.
func (c controls) area(name, labelKey, hintKey string, rows int, required bool) control {
	k := c.input("textarea", name, labelKey, hintKey, required)
	k.Rows, k.Wide = rows, true
	return k
}

// pick is a select; blankKey, when not "", is the label of an empty first option.
func (c controls) pick(name, labelKey, blankKey string, opts []option, required bool) control {
	k := c.base("select", name, labelKey)
	k.Required = required
	if blankKey != "" {
		k.Options = append(k.Options, choice{Value: "", Label: translate(c.lang, blankKey), Selected: k.Value == ""})
	}
	for _, o := range opts {
		k.Options = append(k.Options, choice{Value: o.Value, Label: o.Label, Selected: o.Value == k.Value})
	}
	return k
}

// checks is a group of checkboxes whose checked values the form keeps
// comma-joined.
func (c controls) checks(name, labelKey string, opts []option) control {
	k := c.base("checks", name, labelKey)
	on := map[string]bool{}
	for _, v := range strings.Split(k.Value, ",") {
		on[v] = true
	}
	for _, o := range opts {
		k.Options = append(k.Options, choice{Value: o.Value, Label: o.Label, Selected: on[o.Value]})
	}
	k.Wide = true
	return k
}

// keyedOptions turns codes into options labelled by prefix+code in lang.
func keyedOptions(lang, prefix string, codes []string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: c, Label: translate(lang, prefix+c)}
	}
	return out
}

// trlOptions are the TRL levels 1–9 with their short descriptions.
func trlOptions(lang string) []option {
	out := make([]option, 9)
	for i := range out {
		n := strconv.Itoa(i + 1)
		out[i] = option{Value: n, Label: n + " · " + translate(lang, "listing.trl."+n)}
	}
	return out
}

// orgOptions lists organisations by name in lang.
func orgOptions(lang string, orgs []*market.Organization) []option {
	out := make([]option, len(orgs))
	for i, o := range orgs {
		out[i] = option{Value: o.ID, Label: o.Name(lang)}
	}
	return out
}

// splitList reads a list typed into one input: items separated by commas,
// semicolons, enumeration commas or line breaks (IPC codes keep their inner
// space, "H01M 10/54").
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', ';', '，', '；', '、', '\n', '\r', '|':
			return true
		}
		return false
	})
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinList shows a stored list in one input.
func joinList(xs []string) string { return strings.Join(xs, ", ") }

// formParser turns form text into typed values, recording what cannot be
// read as field errors under the form's own names.
type formParser struct {
	f    *form
	errs market.Fields
}

// level reads a TRL: "" is 0 (not stated); anything else must be 1–9.
func (p *formParser) level(name string) int {
	s := strings.TrimSpace(p.f.Value(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 9 {
		p.errs.Add(name, msgs.OneToNine)
		return 0
	}
	return n
}

// amount reads an amount in major units as minor units; "" is 0.
func (p *formParser) amount(name string) int64 {
	s := strings.TrimSpace(p.f.Value(name))
	if s == "" {
		return 0
	}
	cur := p.f.Value("currency")
	n, ok := parseAmount(s, cur)
	if !ok {
		p.errs.Add(name, msgs.Text, amountHint(cur))
		return 0
	}
	return n
}

// date reads a yyyy-mm-dd date; "" is nil.
func (p *formParser) date(name string) *time.Time {
	s := strings.TrimSpace(p.f.Value(name))
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.errs.Add(name, msgs.DateExample2030)
		return nil
	}
	return &t
}

// version reads the hidden version field.
func (p *formParser) version() int64 {
	n, _ := strconv.ParseInt(p.f.Value("version"), 10, 64)
	return n
}

// merge adds the input's own validation to the parse errors, so a form with
// a typo in one field still shows every other problem at once; fields that
// could not be read keep only their parse error.
func (p *formParser) merge(validate func(*market.Fields)) error {
	if len(p.errs) == 0 {
		return nil
	}
	var more market.Fields
	validate(&more)
	for _, fe := range more {
		if !p.errs.Has(fe.Field) {
			p.errs = append(p.errs, fe)
		}
	}
	return p.errs.Err()
}

// takeListing puts a refused listing input's field errors on f, the
// market's field names ("ipc[1]", "price_min") mapped to the form's inputs.
func takeListing(f *form, lang string, err error) bool {
	var e *market.Error
	if !errors.As(err, &e) {
		return false
	}
	c := *e
	c.Fields = make([]market.FieldError, len(e.Fields))
	for i, fe := range e.Fields {
		c.Fields[i] = fe
		c.Fields[i].Field = formFieldName(fe.Field)
	}
	return f.take(lang, &c)
}

// formFieldName maps a market field name to the input that holds it:
// "ipc[1]" and "ipc" are both the IPC input.
func formFieldName(field string) string {
	if i := strings.IndexAny(field, "[."); i > 0 {
		field = field[:i]
	}
	return field
}
