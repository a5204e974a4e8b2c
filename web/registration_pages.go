package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
	"techbridge/market/gbt2260"
	"techbridge/market/sheet"
)

// registrationLists are the form's code lists by the name templates use.
var registrationLists = map[string][]market.RegistrationCode{
	"type": market.ContractTypeLabels, "field": market.RegistrationTechFields, "ip": market.RegistrationIPTypes,
	"goal": market.SocioEconomicGoals, "lpt": market.LegalPersonTypes, "state": market.RegistrationStateLabels,
	// the offer form's selects, by their input names
	"tech_field": market.RegistrationTechFields, "ip_type": market.RegistrationIPTypes, "socio_economic_goal": market.SocioEconomicGoals,
}

// subTypeGroup is one contract type's sub-types, an optgroup of the offer form.
type subTypeGroup struct {
	Type  string
	Codes []market.RegistrationCode
}

// registrationFuncs are the template functions of the registration parts.
var registrationFuncs = template.FuncMap{
	// regLabel names a code of a list ("type", "field" …) in lang.
	"regLabel": func(lang, list, code string) string { return market.Label(registrationLists[list], code, lang) },
	// subLabel names a contract sub-type in lang.
	"subLabel": func(lang, contractType, code string) string {
		return market.Label(market.ContractSubTypes[contractType], code, lang)
	},
	"regCodes": func(list string) []market.RegistrationCode { return registrationLists[list] },
	"subTypes": func() []subTypeGroup {
		out := make([]subTypeGroup, len(market.ContractTypes))
		for i, t := range market.ContractTypes {
			out[i] = subTypeGroup{t, market.ContractSubTypes[t]}
		}
		return out
	},
	"regions": gbt2260.Provinces,
	"pick": func(lang string, c market.RegistrationCode) string {
		return map[bool]string{true: c.NameEN, false: c.NameZH}[lang == langEN]
	},
	"joinComma": func(s []string) string { return strings.Join(s, ", ") },
	"strs":      func(s ...string) []string { return s },
	// pair passes a page's view and one of its parts to a part template.
	"pair": func(a, b any) []any { return []any{a, b} },
}

// registrationPage is a signed contract's registration: the form as the
// registry reads it, and what the visitor may do with it.
type registrationPage struct {
	Reg       market.RegistrationRecord
	Lang      string
	CanSubmit bool // a party or the intermediary, before or after a return
	Registrar bool // the registry, while it is submitted
	Submit    *form
	Record    *form // number, date
	Return    *form // reason
}

// Money formats minor units of the record's currency.
func (p *registrationPage) Money(minor int64) string { return money(minor, p.Reg.Currency, p.Lang) }

// Royalty is the royalty as a percentage.
func (p *registrationPage) Royalty() string {
	return fmt.Sprintf("%d.%02d%%", p.Reg.RoyaltyBPS/100, p.Reg.RoyaltyBPS%100)
}

// registrationPageFor loads the record and what the visitor may do.
func (s *Server) registrationPageFor(r *http.Request, v *visit) (*registrationPage, error) {
	id := r.PathValue("id")
	reg, err := s.svc.DealRegistration(r.Context(), v.Actor, id)
	if market.ErrorCode(err) == market.ECONFLICT {
		return nil, market.Errorf(market.ENOTFOUND, msgs.NotSigned)
	} else if err != nil {
		return nil, err
	}
	p := &registrationPage{Reg: reg, Lang: v.Lang, Submit: &form{}, Return: &form{Values: map[string]string{"reason": ""}},
		Record: &form{Values: map[string]string{"number": "", "date": time.Now().In(chinaZone).Format(time.DateOnly)}}}
	open := reg.State == "" || reg.State == market.RegistrationReturned
	if dv, err := s.svc.Deal(r.Context(), v.Actor, id); err == nil {
		p.CanSubmit = open && slices.Contains([]string{market.DealRoleBuyer, market.DealRoleSeller, market.DealRoleIntermediary}, dv.As.Role)
	}
	p.Registrar = v.Actor.IsRegistrar() && reg.State == market.RegistrationSubmitted
	return p, nil
}

// chinaZone is UTC+8: registration dates are dates in China.
var chinaZone = time.FixedZone("CST", 8*60*60)

// dealRegistration shows the registration form of a signed contract, laid
// out like form JJ-001, for printing.
func (s *Server) dealRegistration(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.registrationPageFor(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "deal_registration", p)
	return nil
}

// registrationAct submits, returns or registers the contract (form field
// "action"); bad input comes back in place.
func (s *Server) registrationAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	var err error
	var f *form
	done := ""
	switch action := r.PostFormValue("action"); action {
	case "submit":
		f = newForm(r)
		_, err = s.svc.SubmitRegistration(r.Context(), v.Actor, id)
		done = "reg_submitted"
	case "return":
		f = newForm(r, "reason")
		_, err = s.svc.ReturnRegistration(r.Context(), v.Actor, id, f.Value("reason"))
		done = "reg_returned"
	case "record":
		f = newForm(r, "number", "date")
		_, err = s.svc.RecordRegistration(r.Context(), v.Actor, id, f.Value("number"), f.Value("date"))
		done = "reg_registered"
	default:
		return market.Invalid("action", msgs.SubmitReturnOrRecord)
	}
	if f.take(v.Lang, err) {
		p, perr := s.registrationPageFor(r, v)
		if perr != nil {
			return perr
		}
		switch r.PostFormValue("action") {
		case "submit":
			p.Submit = f
		case "return":
			p.Return = f
		default:
			p.Record = f
		}
		s.render(w, v, http.StatusUnprocessableEntity, "deal_registration", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/deals/"+id+"/registration?done="+done, http.StatusSeeOther)
	return nil
}

// registrationCertificate shows a registered contract's certificate.
func (s *Server) registrationCertificate(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.registrationPageFor(r, v)
	if err != nil {
		return err
	}
	if p.Reg.State != market.RegistrationRegistered {
		return market.Errorf(market.ENOTFOUND, msgs.NotRegistered)
	}
	s.render(w, v, http.StatusOK, "registration_certificate", p)
	return nil
}

// writeRegistrationTable sends records as a CSV or XLSX download with
// headings in the page language.
func writeRegistrationTable(w http.ResponseWriter, format, name, lang string, recs []market.RegistrationRecord) error {
	var buf bytes.Buffer
	t := market.RegistrationTable(recs, lang)
	var err error
	if format == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = sheet.WriteXLSX(&buf, "registrations", t)
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = sheet.WriteCSV(&buf, t)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// dealRegistrationDownload downloads one contract's record as CSV or XLSX.
func (s *Server) dealRegistrationDownload(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		reg, err := s.svc.DealRegistration(r.Context(), v.Actor, r.PathValue("id"))
		if market.ErrorCode(err) == market.ECONFLICT {
			return market.Errorf(market.ENOTFOUND, msgs.NotSigned)
		} else if err != nil {
			return err
		}
		return writeRegistrationTable(w, format, "registration-"+reg.DealID, v.Lang, []market.RegistrationRecord{reg})
	}
}

// registryPage is the registry's desk: submitted contracts by filter, one
// page at a time.
type registryPage struct {
	Filter market.RegistrationFilter
	Items  []market.RegistrationRecord
	Next   string // query of the next page; "" on the last
	Query  string // the filter as a query, for the export links
	Lang   string
	Types  []string
	States []string
}

// Money formats minor units of currency.
func (p *registryPage) Money(minor int64, currency string) string {
	return money(minor, currency, p.Lang)
}

func registrationFilterOf(r *http.Request) market.RegistrationFilter {
	q := r.URL.Query()
	return market.RegistrationFilter{From: q.Get("from"), To: q.Get("to"), State: q.Get("state"), ContractType: q.Get("type"),
		TechField: q.Get("field"), Region: strings.TrimSpace(q.Get("region")), After: q.Get("cursor"), Limit: 50}
}

func filterQuery(f market.RegistrationFilter) url.Values {
	q := url.Values{}
	for k, val := range map[string]string{"from": f.From, "to": f.To, "state": f.State, "type": f.ContractType, "field": f.TechField, "region": f.Region} {
		if val != "" {
			q.Set(k, val)
		}
	}
	return q
}

// registry lists the submitted contracts for the registry and admins.
func (s *Server) registry(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := registrationFilterOf(r)
	recs, next, err := s.svc.Registrations(r.Context(), v.Actor, f)
	if err != nil {
		return err
	}
	q := filterQuery(f)
	p := &registryPage{Filter: f, Items: recs, Query: q.Encode(), Lang: v.Lang, Types: market.ContractTypes, States: market.RegistrationStates}
	if next != "" {
		q.Set("cursor", next)
		p.Next = q.Encode()
	}
	s.render(w, v, http.StatusOK, "registry", p)
	return nil
}

// registryExport downloads one page of the registry's list (the filter and
// cursor of the query, up to 100 records) as CSV, XLSX or JSON.
func (s *Server) registryExport(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		f := registrationFilterOf(r)
		f.Limit = market.MaxPageSize
		recs, next, err := s.svc.Registrations(r.Context(), v.Actor, f)
		if err != nil {
			return err
		}
		if next != "" {
			w.Header().Set("X-Next-Cursor", next)
		}
		name := "registrations-" + time.Now().UTC().Format("20060102")
		if format != "json" {
			return writeRegistrationTable(w, format, name, v.Lang, recs)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		return json.NewEncoder(w).Encode(map[string]any{"items": recs, "next_cursor": next})
	}
}

// updateOrgProfile saves an organisation's registration profile, for its
// owners; bad input comes back in place.
func (s *Server) updateOrgProfile(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	f := newForm(r, orgProfileFields...)
	_, err := s.svc.UpdateOrgProfile(r.Context(), v.Actor, id, 0, market.OrgProfile{Address: f.Value("address"),
		LegalRepresentative: f.Value("legal_representative"), ContactPerson: f.Value("contact_person"),
		ContactPhone: f.Value("contact_phone"), RegionCode: f.Value("region_code"), Country: f.Value("country")})
	if f.take(v.Lang, err) {
		p, err := s.orgPage(r.Context(), v)
		if err != nil {
			return err
		}
		for i := range p.Orgs {
			if p.Orgs[i].Org.ID == id {
				p.Orgs[i].Profile = f
			}
		}
		s.render(w, v, http.StatusUnprocessableEntity, "organizations", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=org_profile_saved#org-"+id, http.StatusSeeOther)
	return nil
}

// orgProfileFields are the inputs of the registration profile form.
var orgProfileFields = []string{"address", "legal_representative", "contact_person", "contact_phone", "region_code", "country"}

// orgProfileForm is the profile form filled from the organisation.
func orgProfileForm(o *market.Organization) *form {
	return &form{Values: map[string]string{"address": o.Address, "legal_representative": o.LegalRepresentative,
		"contact_person": o.ContactPerson, "contact_phone": o.ContactPhone, "region_code": o.RegionCode,
		"country": map[bool]string{true: "CN", false: o.Country}[o.Country == ""]}, Errors: map[string]string{}}
}

// registrationFormFields are the offer form's registration inputs;
// "registration" carries no input, it places the "agree these first" error.
var registrationFormFields = []string{"registration", "registration.sub_type", "registration.tech_field", "registration.ip_type",
	"registration.patent_numbers", "registration.valid_from", "registration.valid_until", "registration.signing_place",
	"registration.socio_economic_goal", "registration.expected_investment", "registration.expected_output"}

// registrationFormValues fills the offer form's registration inputs from terms.
func registrationFormValues(f *form, t market.OfferTerms) {
	r := t.Registration
	if r == nil {
		return
	}
	p := "registration."
	f.Values[p+"sub_type"], f.Values[p+"tech_field"], f.Values[p+"ip_type"] = r.SubType, r.TechField, r.IPType
	f.Values[p+"patent_numbers"] = strings.Join(r.PatentNumbers, ", ")
	f.Values[p+"valid_from"], f.Values[p+"valid_until"] = r.ValidFrom.Format(time.DateOnly), r.ValidUntil.Format(time.DateOnly)
	f.Values[p+"signing_place"], f.Values[p+"socio_economic_goal"] = r.SigningPlace, r.SocioEconomicGoal
	if r.ExpectedInvestment > 0 || r.ExpectedOutput > 0 {
		f.Values[p+"expected_investment"] = majorAmount(r.ExpectedInvestment, t.Currency)
		f.Values[p+"expected_output"] = majorAmount(r.ExpectedOutput, t.Currency)
	}
}

// registrationFormTerms parses the offer form's registration inputs; nil
// when all are empty (the offer leaves them to a later one). Amounts are in
// major units of the currency cur.
func registrationFormTerms(f *form, cur string, fe *market.Fields) *market.RegistrationTerms {
	empty := true
	for _, n := range registrationFormFields {
		if strings.TrimSpace(f.Value(n)) != "" {
			empty = false
		}
	}
	if empty {
		return nil
	}
	p := "registration."
	r := &market.RegistrationTerms{SubType: f.Value(p + "sub_type"), TechField: f.Value(p + "tech_field"), IPType: f.Value(p + "ip_type"),
		SigningPlace: f.Value(p + "signing_place"), SocioEconomicGoal: f.Value(p + "socio_economic_goal")}
	for _, n := range strings.FieldsFunc(f.Value(p+"patent_numbers"), func(r rune) bool { return r == ',' || r == '，' || r == ';' }) {
		r.PatentNumbers = append(r.PatentNumbers, strings.TrimSpace(n))
	}
	for name, at := range map[string]*time.Time{"valid_from": &r.ValidFrom, "valid_until": &r.ValidUntil} {
		s := strings.TrimSpace(f.Value(p + name))
		if s == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			fe.Add(p+name, msgs.DateYYYYMMDD)
		}
		*at = d
	}
	for name, at := range map[string]*int64{"expected_investment": &r.ExpectedInvestment, "expected_output": &r.ExpectedOutput} {
		s := strings.TrimSpace(f.Value(p + name))
		if s == "" {
			continue
		}
		n, ok := parseAmount(s, cur)
		if !ok {
			fe.Add(p+name, msgs.Text, amountHint(cur))
		}
		*at = n
	}
	return r
}
