package api

import (
	"fmt"
	"testing"

	"techbridge/market"
)

// TestBankStatementOverHTTP: a finance account (no admin) imports a CSV
// statement through the API; the line quoting the milestone's reference
// with its amount funds it, a second import answers it as a duplicate
// and funds nothing again, and the unmatched line is listed for finance.
func TestBankStatementOverHTTP(t *testing.T) {
	w := newWorld(t)
	f := w.payments()
	fin := w.e.staff("finance@techbridge.test", market.RoleFinance)
	csv := "date,amount,currency,reference,payer\n" +
		fmt.Sprintf("2026-03-01,\"1,000.00\",CNY,\"合同款 %s\",Org A\n", market.EscrowReference(f.milestone.ID)) +
		"2026-03-02,12.00,CNY,unknown,Someone\n"
	var got bankImportResponse
	w.e.expect(w.e.do("POST", "/api/v1/admin/bank-statements", fin.AccessToken, typedBody{"text/csv", csv}), 200).json(&got)
	if got.Matched != 1 || got.Unmatched != 1 || got.Duplicates != 0 || len(got.Lines) != 2 || got.Lines[0].MilestoneID != f.milestone.ID {
		t.Fatalf("first import: %+v", got)
	}
	w.e.expect(w.e.do("POST", "/api/v1/admin/bank-statements", fin.AccessToken, typedBody{"text/csv", csv}), 200).json(&got)
	if got.Matched != 1 || got.Duplicates != 2 {
		t.Fatalf("second import: %+v", got)
	}
	var dp dealPaymentsResponse
	w.e.expect(w.e.do("GET", "/api/v1/deals/"+f.deal.ID+"/payments", w.member.AccessToken, nil), 200).json(&dp)
	if dp.Funded != 100000 || dp.Held != 100000 {
		t.Fatalf("funded %d held %d after importing the statement twice", dp.Funded, dp.Held)
	}
	var lines listResponse[bankLineResponse]
	w.e.expect(w.e.do("GET", "/api/v1/admin/bank-statement-lines?status=unmatched", fin.AccessToken, nil), 200).json(&lines)
	if len(lines.Items) != 1 || lines.Items[0].Reason != market.BankReasonNoReference || lines.Items[0].Amount != 1200 {
		t.Fatalf("unmatched lines: %+v", lines.Items)
	}
	w.e.expect(w.e.do("GET", "/api/v1/admin/bank-statement-lines?status=lost", fin.AccessToken, nil), 400)
	w.e.expect(w.e.do("POST", "/api/v1/admin/bank-statements", fin.AccessToken, typedBody{"text/csv", "date,amount\n"}), 400)
	w.e.expect(w.e.do("POST", "/api/v1/admin/bank-statements", fin.AccessToken, `{"csv": true}`), 415)
}
