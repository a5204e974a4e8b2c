package api

import (
	"bytes"
	"net/http"
	"strings"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/market/sheet"
)

// registrationTermsBody is an offer's answers to the registration form.
type registrationTermsBody struct {
	SubType            string   `json:"sub_type,omitempty"`
	TechField          string   `json:"tech_field,omitempty"` // "" = mapped from the listing's field
	IPType             string   `json:"ip_type,omitempty"`    // "" = the listing's
	PatentNumbers      []string `json:"patent_numbers,omitempty"`
	ValidFrom          string   `json:"valid_from,omitempty"` // YYYY-MM-DD
	ValidUntil         string   `json:"valid_until,omitempty"`
	SigningPlace       string   `json:"signing_place,omitempty"`
	SocioEconomicGoal  string   `json:"socio_economic_goal,omitempty"`
	ExpectedInvestment int64    `json:"expected_investment,omitempty"`
	ExpectedOutput     int64    `json:"expected_output,omitempty"`
}

// terms parses the body; a malformed date is named in f.
func (b *registrationTermsBody) terms(f *market.Fields) *market.RegistrationTerms {
	if b == nil {
		return nil
	}
	r := &market.RegistrationTerms{SubType: b.SubType, TechField: b.TechField, IPType: b.IPType,
		PatentNumbers: b.PatentNumbers, SigningPlace: b.SigningPlace, SocioEconomicGoal: b.SocioEconomicGoal,
		ExpectedInvestment: b.ExpectedInvestment, ExpectedOutput: b.ExpectedOutput}
	for name, d := range map[string]struct {
		s  string
		at *time.Time
	}{"valid_from": {b.ValidFrom, &r.ValidFrom}, "valid_until": {b.ValidUntil, &r.ValidUntil}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.s)
		if err != nil {
			f.Add("registration."+name, msgs.DateYYYYMMDD)
		}
		*d.at = t
	}
	return r
}

func toRegistrationTermsBody(r *market.RegistrationTerms) *registrationTermsBody {
	if r == nil {
		return nil
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return &registrationTermsBody{SubType: r.SubType, TechField: r.TechField, IPType: r.IPType,
		PatentNumbers: r.PatentNumbers, ValidFrom: date(r.ValidFrom), ValidUntil: date(r.ValidUntil),
		SigningPlace: r.SigningPlace, SocioEconomicGoal: r.SocioEconomicGoal,
		ExpectedInvestment: r.ExpectedInvestment, ExpectedOutput: r.ExpectedOutput}
}

type (
	returnRegistrationRequest struct {
		Reason string `json:"reason,omitempty"`
	}
	recordRegistrationRequest struct {
		Number string `json:"number,omitempty"` // the 16-digit 合同登记编号
		Date   string `json:"date,omitempty"`   // YYYY-MM-DD
	}
)

// exportLang is the language of an export's headings: ?lang=, else the
// first language the client accepts, else Chinese.
func exportLang(c *gin.Context) (string, error) {
	switch l := c.Query("lang"); l {
	case "zh", "en":
		return l, nil
	case "":
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(c.GetHeader("Accept-Language"))), "en") {
			return "en", nil
		}
		return "zh", nil
	}
	return "", market.Invalid("lang", msgs.ZhOrEn)
}

// writeRegistrations answers records as JSON (with the next page's cursor),
// CSV or XLSX.
func (s *Server) writeRegistrations(c *gin.Context, format, name string, recs []market.RegistrationRecord, next string) {
	lang, err := exportLang(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var buf bytes.Buffer
	var media string
	switch format {
	case "csv":
		media, name = "text/csv; charset=utf-8", name+".csv"
		err = sheet.WriteCSV(&buf, market.RegistrationTable(recs, lang))
	case "xlsx":
		media, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx"
		err = sheet.WriteXLSX(&buf, "registrations", market.RegistrationTable(recs, lang))
	default:
		c.JSON(http.StatusOK, listResponse[market.RegistrationRecord]{Items: recs, NextCursor: next})
		return
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	if next != "" {
		c.Header("X-Next-Cursor", next)
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, media, buf.Bytes())
}

// getRegistration answers a signed deal's registration record as JSON, or
// with ?format=csv|xlsx as a one-line export.
func (s *Server) getRegistration(c *gin.Context) {
	format, err := formatParam(c, "json", "csv", "xlsx")
	if err != nil {
		s.writeError(c, err)
		return
	}
	r, err := s.Service.DealRegistration(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, r)
		return
	}
	s.writeRegistrations(c, format, "registration-"+r.DealID, []market.RegistrationRecord{r}, "")
}

// listRegistrations is the registry's export (registrar and admins): one
// page by cursor, filtered by signing date, state, type, field and region.
func (s *Server) listRegistrations(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	format, err := formatParam(c, "json", "csv", "xlsx")
	if err != nil {
		s.writeError(c, err)
		return
	}
	recs, next, err := s.Service.Registrations(c.Request.Context(), actor(c), market.RegistrationFilter{
		From: c.Query("from"), To: c.Query("to"), State: c.Query("state"), ContractType: c.Query("type"),
		TechField: c.Query("field"), Region: c.Query("region"), After: cursor, Limit: limit})
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeRegistrations(c, format, "registrations-"+time.Now().UTC().Format("20060102"), recs, next)
}

// submitRegistration submits a signed contract to the registry.
func (s *Server) submitRegistration(c *gin.Context) {
	r, err := s.Service.SubmitRegistration(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// returnRegistration sends a submitted contract back with a reason.
func (s *Server) returnRegistration(c *gin.Context) {
	var req returnRegistrationRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	r, err := s.Service.ReturnRegistration(c.Request.Context(), actor(c), c.Param("id"), req.Reason)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// recordRegistration records the registry's number and date.
func (s *Server) recordRegistration(c *gin.Context) {
	var req recordRegistrationRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	r, err := s.Service.RecordRegistration(c.Request.Context(), actor(c), c.Param("id"), req.Number, req.Date)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}
