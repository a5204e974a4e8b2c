package market

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

var allDealStates = []string{DealInquiry, DealNDA, DealNegotiation, DealContractDrafted, DealSigned,
	DealDeclined, DealCancelled, DealExpired, DealInProgress, DealCompleted, DealDisputed}

func TestDealTransitions(t *testing.T) {
	later := t0.Add(31 * 24 * time.Hour)
	idle := ExpireDeal{IdleFor: 30 * 24 * time.Hour}
	nonSignatory := asBuyer
	nonSignatory.Signatory = false
	tests := []struct {
		name      string
		state     string
		actor     DealActor
		act       DealAction
		now       time.Time // zero = t0
		wantCode  string    // "" = allowed
		wantState string    // with wantCode == ""
	}{
		// inquiry
		{"seller accepts inquiry", DealInquiry, asSeller, AcceptInquiry{}, time.Time{}, "", DealNegotiation},
		{"buyer cannot accept own inquiry", DealInquiry, asBuyer, AcceptInquiry{}, time.Time{}, EFORBIDDEN, ""},
		{"admin cannot accept inquiry", DealInquiry, asAdmin, AcceptInquiry{}, time.Time{}, EFORBIDDEN, ""},
		{"stranger does not see the deal", DealInquiry, asStranger, AcceptInquiry{}, time.Time{}, ENOTFOUND, ""},
		{"uninvited broker does not see the deal", DealInquiry, asBroker, PostMessage{Body: "hi"}, time.Time{}, ENOTFOUND, ""},
		{"buyer claiming seller role is unknown", DealInquiry, DealActor{OrgID: buyerOrg, Role: DealRoleSeller}, AcceptInquiry{}, time.Time{}, ENOTFOUND, ""},
		{"seller declines inquiry", DealInquiry, asSeller, DeclineInquiry{Reason: "licensed already"}, time.Time{}, "", DealDeclined},
		{"buyer cannot decline own inquiry", DealInquiry, asBuyer, DeclineInquiry{}, time.Time{}, EFORBIDDEN, ""},
		{"buyer cancels inquiry", DealInquiry, asBuyer, CancelDeal{}, time.Time{}, "", DealCancelled},
		{"seller cancels inquiry", DealInquiry, asSeller, CancelDeal{}, time.Time{}, "", DealCancelled},
		{"no offers during inquiry", DealInquiry, asBuyer, ProposeOffer{Terms: devTerms()}, time.Time{}, ECONFLICT, ""},
		{"no signing during inquiry", DealInquiry, asBuyer, SignContract{Hash: "x"}, time.Time{}, ECONFLICT, ""},
		{"buyer posts during inquiry", DealInquiry, asBuyer, PostMessage{Body: "any news?"}, time.Time{}, "", DealInquiry},
		{"empty message", DealInquiry, asSeller, PostMessage{Body: "  "}, time.Time{}, EINVALID, ""},
		{"system expires idle inquiry", DealInquiry, asSystem, idle, later, "", DealExpired},
		{"admin expires idle inquiry", DealInquiry, asAdmin, idle, later, "", DealExpired},
		{"no expiry while active", DealInquiry, asSystem, idle, t0.Add(time.Hour), ECONFLICT, ""},
		{"expiry needs a positive idle time", DealInquiry, asSystem, ExpireDeal{}, later, EINVALID, ""},
		{"buyer cannot expire", DealInquiry, asBuyer, idle, later, EFORBIDDEN, ""},
		{"no NDA on a public outcome", DealInquiry, asBuyer, AcceptNDA{Hash: "x"}, time.Time{}, ECONFLICT, ""},
		// nda
		{"no offers before the NDA", DealNDA, asSeller, ProposeOffer{Terms: devTerms()}, time.Time{}, ECONFLICT, ""},
		{"seller cannot accept the NDA", DealNDA, asSeller, AcceptNDA{Hash: NDAHash("保密协议全文 / full NDA text")}, time.Time{}, EFORBIDDEN, ""},
		{"buyer accepts the NDA shown", DealNDA, asBuyer, AcceptNDA{Hash: NDAHash("保密协议全文 / full NDA text")}, time.Time{}, "", DealNegotiation},
		{"buyer accepts a stale NDA", DealNDA, asBuyer, AcceptNDA{Hash: NDAHash("older text")}, time.Time{}, ECONFLICT, ""},
		{"buyer cancels at NDA", DealNDA, asBuyer, CancelDeal{}, time.Time{}, "", DealCancelled},
		// negotiation: the seller's offer 1 is open
		{"buyer accepts seller's offer", DealNegotiation, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, time.Time{}, "", DealContractDrafted},
		{"seller cannot accept own offer", DealNegotiation, asSeller, AcceptOffer{Number: 1, Contract: contractIn(false)}, time.Time{}, EFORBIDDEN, ""},
		{"admin cannot accept an offer", DealNegotiation, asAdmin, AcceptOffer{Number: 1, Contract: contractIn(false)}, time.Time{}, EFORBIDDEN, ""},
		{"unknown offer number", DealNegotiation, asBuyer, AcceptOffer{Number: 7, Contract: contractIn(false)}, time.Time{}, ENOTFOUND, ""},
		{"contract needs buyer's credit code", DealNegotiation, asBuyer, AcceptOffer{Number: 1, Contract: func() ContractInput {
			in := contractIn(false)
			in.Buyer.CreditCode = ""
			return in
		}()}, time.Time{}, EINVALID, ""},
		{"contract parties must be the deal's", DealNegotiation, asBuyer, AcceptOffer{Number: 1, Contract: func() ContractInput {
			in := contractIn(false)
			in.Seller.OrgID = strangerOrg
			return in
		}()}, time.Time{}, EINVALID, ""},
		{"offer gone stale before acceptance", DealNegotiation, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, t0.AddDate(0, 2, 0), ECONFLICT, ""},
		{"buyer counters", DealNegotiation, asBuyer, ProposeOffer{Terms: licenceTerms()}, time.Time{}, "", DealNegotiation},
		{"invalid counter-offer", DealNegotiation, asBuyer, ProposeOffer{Terms: OfferTerms{}}, time.Time{}, EINVALID, ""},
		{"buyer rejects", DealNegotiation, asBuyer, RejectOffer{Number: 1}, time.Time{}, "", DealNegotiation},
		{"seller cannot reject own offer", DealNegotiation, asSeller, RejectOffer{Number: 1}, time.Time{}, EFORBIDDEN, ""},
		{"seller withdraws own offer", DealNegotiation, asSeller, WithdrawOffer{Number: 1}, time.Time{}, "", DealNegotiation},
		{"buyer cannot withdraw seller's offer", DealNegotiation, asBuyer, WithdrawOffer{Number: 1}, time.Time{}, EFORBIDDEN, ""},
		{"no signing before a contract", DealNegotiation, asBuyer, SignContract{Hash: "x"}, time.Time{}, ECONFLICT, ""},
		{"inquiry already answered", DealNegotiation, asSeller, AcceptInquiry{}, time.Time{}, ECONFLICT, ""},
		{"no decline after acceptance", DealNegotiation, asSeller, DeclineInquiry{}, time.Time{}, ECONFLICT, ""},
		{"seller cancels negotiation", DealNegotiation, asSeller, CancelDeal{Reason: "price too low"}, time.Time{}, "", DealCancelled},
		// contract_drafted
		{"non-signatory cannot sign", DealContractDrafted, nonSignatory, SignContract{}, time.Time{}, EFORBIDDEN, ""},
		{"no accepting after drafting", DealContractDrafted, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, time.Time{}, ECONFLICT, ""},
		{"new offer reopens negotiation", DealContractDrafted, asSeller, ProposeOffer{Terms: licenceTerms()}, time.Time{}, "", DealNegotiation},
		{"no intermediary once drafted", DealContractDrafted, asBuyer, InviteIntermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 1, Payer: FeePayerBuyer}}, time.Time{}, ECONFLICT, ""},
		{"buyer cancels drafted contract", DealContractDrafted, asBuyer, CancelDeal{}, time.Time{}, "", DealCancelled},
		{"idle drafted contract expires", DealContractDrafted, asSystem, idle, later, "", DealExpired},
		// signed and the payments states: the contract is binding
		{"no cancelling once signed", DealSigned, asBuyer, CancelDeal{}, time.Time{}, ECONFLICT, ""},
		{"no offers once signed", DealSigned, asSeller, ProposeOffer{Terms: devTerms()}, time.Time{}, ECONFLICT, ""},
		{"no signing twice", DealSigned, asBuyer, SignContract{Hash: "x"}, time.Time{}, ECONFLICT, ""},
		{"signed deals do not expire", DealSigned, asSystem, idle, later, ECONFLICT, ""},
		{"messages continue once signed", DealSigned, asSeller, PostMessage{Body: "kick-off on Monday"}, time.Time{}, "", DealSigned},
		{"messages continue in progress", DealInProgress, asBuyer, PostMessage{Body: "milestone 1 funded"}, time.Time{}, "", DealInProgress},
		{"no cancelling in progress", DealInProgress, asBuyer, CancelDeal{}, time.Time{}, ECONFLICT, ""},
		// ended deals
		{"declined is final", DealDeclined, asSeller, AcceptInquiry{}, time.Time{}, ECONFLICT, ""},
		{"no messages on a declined deal", DealDeclined, asBuyer, PostMessage{Body: "why?"}, time.Time{}, ECONFLICT, ""},
		{"cancelled is final", DealCancelled, asSeller, CancelDeal{}, time.Time{}, ECONFLICT, ""},
		{"expired is final", DealExpired, asBuyer, ProposeOffer{Terms: devTerms()}, time.Time{}, ECONFLICT, ""},
		{"completed takes no messages", DealCompleted, asBuyer, PostMessage{Body: "thanks"}, time.Time{}, ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dealIn(t, tt.state)
			now := tt.now
			if now.IsZero() {
				now = t0
			}
			act := tt.act
			if s, ok := act.(SignContract); ok && s.Hash == "" && d.Contract != nil {
				act = SignContract{Hash: d.Contract.Hash}
			}
			n, evs, err := ApplyDeal(d, tt.actor, act, now)
			if got := codeOf(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil {
				if !reflect.DeepEqual(n, d) || evs != nil {
					t.Fatal("a refused action changed the deal or emitted events")
				}
				return
			}
			if n.State != tt.wantState {
				t.Fatalf("state = %s, want %s", n.State, tt.wantState)
			}
			if n.Version != d.Version+1 {
				t.Fatalf("version = %d, want %d", n.Version, d.Version+1)
			}
			if len(evs) == 0 {
				t.Fatal("no events")
			}
			for _, e := range evs {
				if e.ObjectType != DealObjectType || e.ObjectID != d.ID || e.ActorID != tt.actor.AccountID || !e.At.Equal(now) {
					t.Fatalf("event %+v does not name the deal, actor and time", e)
				}
			}
		})
	}
}

// goodAction returns an action of the named kind that is well formed for d,
// so that only the rules, not the input, can refuse it.
func goodAction(d Deal, name string) DealAction {
	latest := len(d.Offers)
	hash := ""
	if d.Contract != nil {
		hash = d.Contract.Hash
	}
	ndaHash := ""
	if d.NDA != nil {
		ndaHash = d.NDA.Hash
	}
	return map[string]DealAction{
		"accept_inquiry":         AcceptInquiry{},
		"decline_inquiry":        DeclineInquiry{},
		"accept_nda":             AcceptNDA{Hash: ndaHash},
		"post_message":           PostMessage{Body: "hello"},
		"invite_intermediary":    InviteIntermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 100, Payer: FeePayerBuyer}},
		"respond_intermediary":   RespondIntermediary{Accept: true},
		"agree_intermediary_fee": AgreeIntermediaryFee{Agree: true},
		"propose_offer":          ProposeOffer{Terms: devTerms()},
		"reject_offer":           RejectOffer{Number: latest},
		"withdraw_offer":         WithdrawOffer{Number: latest},
		"accept_offer":           AcceptOffer{Number: latest, Contract: contractIn(d.Intermediary != nil)},
		"sign_contract":          SignContract{Hash: hash},
		"cancel":                 CancelDeal{},
		"expire":                 ExpireDeal{IdleFor: time.Hour},
	}[name]
}

// TestDealInvariants drives every action by every role in every state and
// checks what must hold whatever the table above says.
func TestDealInvariants(t *testing.T) {
	later := t0.Add(48 * time.Hour)
	roles := []DealActor{asBuyer, asSeller, asBroker, asAdmin, asSystem, asStranger}
	for _, state := range allDealStates {
		for _, withIM := range []bool{false, true} {
			d := dealIn(t, state)
			if withIM {
				if !slices.Contains(dealBeforeContract, state) {
					continue
				}
				d = withBroker(t, d)
			}
			// JSON follows pointers, so a change made through a shared
			// Contract, NDA or milestone slice shows up too.
			before, _ := json.Marshal(d)
			for _, a := range roles {
				for _, proto := range dealActions {
					act := goodAction(d, proto.Name())
					n, evs, err := ApplyDeal(d, a, act, later)
					where := state + "/" + a.Role + "/" + act.Name()
					if after, _ := json.Marshal(d); !bytes.Equal(after, before) {
						t.Fatalf("%s: the input deal was modified", where)
					}
					if err == nil && (n.Version != d.Version+1 || len(evs) == 0) {
						t.Errorf("%s: success without version bump or events", where)
					}
					switch {
					case a.Role == DealRoleOther && codeOf(err) != ENOTFOUND:
						t.Errorf("%s: a stranger got %q, want not_found", where, codeOf(err))
					case a.Role == DealRoleIntermediary && !withIM && codeOf(err) != ENOTFOUND:
						t.Errorf("%s: an org not in the deal got %q, want not_found", where, codeOf(err))
					case slices.Contains(DealClosedStates, state) && err == nil:
						t.Errorf("%s: an ended deal changed", where)
					case (a.Role == DealRoleAdmin || a.Role == DealRoleSystem) && act.Name() != "expire" && codeOf(err) != EFORBIDDEN:
						t.Errorf("%s: the platform got %q, want forbidden", where, codeOf(err))
					case withIM && a.Role == DealRoleIntermediary && slices.Contains([]string{"sign_contract", "accept_offer",
						"reject_offer", "cancel", "accept_nda", "accept_inquiry", "decline_inquiry",
						"invite_intermediary", "agree_intermediary_fee"}, act.Name()) && codeOf(err) != EFORBIDDEN:
						t.Errorf("%s: the intermediary got %q, want forbidden", where, codeOf(err))
					}
					if err == nil && n.State == DealSigned && len(n.Signatures) != 2 {
						t.Errorf("%s: signed with %d signatures", where, len(n.Signatures))
					}
				}
			}
		}
	}
}
