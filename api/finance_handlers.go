package api

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/market/msgs"
)

// requireFinance refuses everyone but the platform's finance accounts and
// admins.
func (s *Server) requireFinance(c *gin.Context) {
	if !actor(c).IsFinance() {
		s.writeError(c, market.Errorf(market.EFORBIDDEN, msgs.FinanceAndAdminsOnly))
		return
	}
	c.Next()
}

// bankLineResponse is one imported statement line.
type bankLineResponse struct {
	ID          string    `json:"id"`
	ImportID    string    `json:"import_id"`
	LineNo      int       `json:"line_no"`
	BookedOn    string    `json:"booked_on,omitempty"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency,omitempty"`
	Reference   string    `json:"reference"`
	Payer       string    `json:"payer"`
	Raw         string    `json:"raw"`
	Status      string    `json:"status"`
	Reason      string    `json:"reason,omitempty"`
	Detail      string    `json:"detail"`
	MilestoneID string    `json:"milestone_id,omitempty"`
	ImportedAt  time.Time `json:"imported_at"`
	Duplicate   bool      `json:"duplicate,omitempty"`
}

func toBankLineResponse(l market.BankLine, dup bool) bankLineResponse {
	return bankLineResponse{ID: l.ID, ImportID: l.ImportID, LineNo: l.LineNo, BookedOn: l.BookedOn, Amount: l.Amount,
		Currency: l.Currency, Reference: l.Reference, Payer: l.Payer, Raw: l.Raw, Status: l.Status, Reason: l.Reason,
		Detail: l.Detail, MilestoneID: l.MilestoneID, ImportedAt: l.ImportedAt, Duplicate: dup}
}

// bankImportResponse is what one statement import did.
type bankImportResponse struct {
	ImportID   string             `json:"import_id"`
	Matched    int                `json:"matched"`
	Unmatched  int                `json:"unmatched"`
	Mismatched int                `json:"mismatched"`
	Invalid    int                `json:"invalid"`
	Duplicates int                `json:"duplicates"`
	Lines      []bankLineResponse `json:"lines"`
}

// importBankStatement matches a CSV statement of the escrow account to the
// milestones awaiting funding (finance and admins).
func (s *Server) importBankStatement(c *gin.Context) {
	got, err := s.Service.ImportBankStatement(c.Request.Context(), actor(c), c.Request.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = market.Errorf(codeTooLarge, msgs.StatementAtMostNBytes, tooLarge.Limit)
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		err = market.Invalid("body", msgs.UploadEndedEarly)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := bankImportResponse{ImportID: got.ImportID, Lines: []bankLineResponse{}}
	for _, l := range got.Lines {
		resp.Lines = append(resp.Lines, toBankLineResponse(l.Line, l.Duplicate))
		if l.Duplicate {
			resp.Duplicates++
		}
		switch l.Line.Status {
		case market.BankLineMatched:
			resp.Matched++
		case market.BankLineUnmatched:
			resp.Unmatched++
		case market.BankLineMismatched:
			resp.Mismatched++
		case market.BankLineInvalid:
			resp.Invalid++
		}
	}
	c.JSON(http.StatusOK, resp)
}

// listBankLines answers imported statement lines, newest first,
// ?status=unmatched (or mismatched, invalid, matched) for the ones to look at.
func (s *Server) listBankLines(c *gin.Context) {
	lines, err := s.Service.BankLines(c.Request.Context(), actor(c), c.Query("status"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[bankLineResponse]{Items: []bankLineResponse{}}
	for _, l := range lines {
		resp.Items = append(resp.Items, toBankLineResponse(l, false))
	}
	c.JSON(http.StatusOK, resp)
}
