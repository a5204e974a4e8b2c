package api

import (
	"testing"

	"techbridge/market/msgs"
)

// TestProblemCarriesMessageCodes: a refused offer answers English detail,
// the message's code, and each field's code, with amounts in major units
// (issue 15: messages by code).
func TestProblemCarriesMessageCodes(t *testing.T) {
	w := newWorld(t)
	o := validOffer()
	o.Milestones[1].Amount = 50000
	p := w.e.expect(w.e.do("POST", w.dealURL("/offers"), w.other.AccessToken, o), 400).problem()
	if p.MessageCode != string(msgs.AmountsAddUpToNPrice) {
		t.Errorf("message_code %q, want %q", p.MessageCode, msgs.AmountsAddUpToNPrice)
	}
	if len(p.Errors) != 1 || p.Errors[0].Field != "milestones" || p.Errors[0].Code != msgs.AmountsAddUpToNPrice ||
		p.Errors[0].Message != "amounts add up to CNY 900.00, the price is CNY 1,000.00" {
		t.Fatalf("field errors %+v", p.Errors)
	}
	// A required field names its code too.
	o = validOffer()
	o.Milestones[0].Title = ""
	p = w.e.expect(w.e.do("POST", w.dealURL("/offers"), w.other.AccessToken, o), 400).problem()
	if len(p.Errors) != 1 || p.Errors[0].Code != msgs.Required || p.Errors[0].Message != "is required" {
		t.Fatalf("field errors %+v", p.Errors)
	}
}
