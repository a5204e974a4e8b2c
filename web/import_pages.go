package web

import (
	"net/http"
	"path"
	"strings"

	"techbridge/market"
)

// importPage is the bulk import form and, after an upload, its report.
type importPage struct {
	Form    *form
	Orgs    []option
	Report  *market.ImportReport
	OrgName string // the organisation imported into
	File    string // the uploaded file's name
	Lang    string
}

// Msg shows a report message (a line's or a field's) in the page language.
func (p *importPage) Msg(m interface{ Localize(string) string }) string {
	return errorText(p.Lang, m)
}

// importForm shows the upload form.
func (s *Server) importForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.importPage(r, v, &form{Values: map[string]string{"format": ""}, Errors: map[string]string{}})
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "import", p)
	return nil
}

func (s *Server) importPage(r *http.Request, v *visit, f *form) (*importPage, error) {
	orgs, err := s.myOrgs(r.Context(), v, listsOutcomes)
	if err != nil {
		return nil, err
	}
	return &importPage{Form: f, Orgs: orgOptions(v.Lang, orgs), Lang: v.Lang}, nil
}

// importUpload imports the uploaded JSONL or CSV file into one of the
// visitor's organisations and shows the per-line report. Good lines are
// kept even when others fail; the report says which failed and why.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "org_id", "format")
	p, err := s.importPage(r, v, f)
	if err != nil {
		return err
	}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		f.Errors["file"] = translate(v.Lang, "import.file.missing")
		f.Error = translate(v.Lang, "form.fix_below")
		s.render(w, v, http.StatusUnprocessableEntity, "import", p)
		return nil
	}
	defer file.Close()
	p.File = path.Base(hdr.Filename)
	format := f.Value("format")
	if format == "" {
		format = market.ImportJSONL
		if strings.EqualFold(path.Ext(hdr.Filename), ".csv") {
			format = market.ImportCSV
		}
	}
	rep, err := s.svc.ImportOutcomes(r.Context(), v.Actor, f.Value("org_id"), file, format, market.ImportOptions{})
	if takeListing(f, v.Lang, err) {
		s.render(w, v, http.StatusUnprocessableEntity, "import", p)
		return nil
	} else if market.ErrorCode(err) == market.EFORBIDDEN {
		f.Errors["org_id"] = translate(v.Lang, "import.org.forbidden")
		f.Error = translate(v.Lang, "form.fix_below")
		s.render(w, v, http.StatusForbidden, "import", p)
		return nil
	} else if err != nil {
		return err
	}
	for _, o := range p.Orgs {
		if o.Value == f.Value("org_id") {
			p.OrgName = o.Label
		}
	}
	p.Report = &rep
	s.render(w, v, http.StatusOK, "import", p)
	return nil
}
