package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestImportRefusesBadLinesAlike: a NUL (PostgreSQL aborted the whole
// import with 500, good lines lost), invalid UTF-8 (SQLite silently stored
// U+FFFD) and a 5 MB line (reading stopped there, later lines never read)
// are each refused and named by line; every good line is imported, the
// same on both engines, and the report says what was committed.
func TestImportRefusesBadLinesAlike(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		svc := listingService(db)
		orgID := listingOrg(t, db, 43, market.OrgUniversity, "上海市")
		lines := []string{
			`{"external_id": "G1", "title": "好的第一行"}`,
			`{"external_id": "N1", "title": "含空字符\u0000的标题"}`,
			"{\"external_id\": \"U1\", \"title\": \"bad \xff\xfe utf8\"}",
			`{"external_id": "L1", "title": "很长", "description": "` + strings.Repeat("长", 5<<20/3) + `"}`,
			`{"external_id": "G2", "title": "好的第五行"}`,
		}
		file := strings.Join(lines, "\n") + "\n"
		for _, format := range []string{market.ImportJSONL, market.ImportCSV} {
			in := file
			if format == market.ImportCSV {
				in = "external_id,title\nC1,好的第二行\nC2,\"空\x00字符\"\nC3,\"bad \xff utf8\"\nC4,好的第五行\n"
			}
			rep, err := svc.ImportOutcomes(context.Background(), market.SystemActor, orgID, strings.NewReader(in), format, market.ImportOptions{})
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			got := map[int]string{}
			for _, e := range rep.Errors {
				got[e.Line] = e.Message
			}
			want := map[string]map[int]string{
				market.ImportJSONL: {2: "title", 3: "UTF-8", 4: "longer than"},
				market.ImportCSV:   {3: "title", 4: "title"},
			}[format]
			if rep.Created != 2 || rep.Failed != len(want) {
				t.Fatalf("%s: %s, errors %+v", format, rep, rep.Errors)
			}
			for line, part := range want {
				if !strings.Contains(got[line], part) {
					t.Fatalf("%s: line %d error %q, want it to mention %q (all: %+v)", format, line, got[line], part, rep.Errors)
				}
			}
		}
	})
}
