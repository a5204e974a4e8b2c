package market

import "time"

// Event types a deal transition emits, as market.Event.Type with ObjectType
// "deal" and ObjectID the deal id. Payload keys are snake_case.
const (
	EventDealOpened                 = "deal.opened"
	EventDealInquiryAccepted        = "deal.inquiry_accepted"
	EventDealDeclined               = "deal.declined"
	EventDealNDAAccepted            = "deal.nda_accepted"
	EventDealMessagePosted          = "deal.message_posted" // payload carries the message; the thread is built from these
	EventDealIntermediaryInvited    = "deal.intermediary_invited"
	EventDealIntermediaryAccepted   = "deal.intermediary_accepted"
	EventDealIntermediaryDeclined   = "deal.intermediary_declined"
	EventDealIntermediaryFeeAgreed  = "deal.intermediary_fee_agreed"
	EventDealIntermediaryFeeRefused = "deal.intermediary_fee_refused"
	EventDealOfferProposed          = "deal.offer_proposed"
	EventDealOfferRejected          = "deal.offer_rejected"
	EventDealOfferWithdrawn         = "deal.offer_withdrawn"
	EventDealOfferAccepted          = "deal.offer_accepted"
	EventDealContractDrafted        = "deal.contract_drafted"
	EventDealContractVoided         = "deal.contract_voided" // a change before the second signature
	EventDealContractSigned         = "deal.contract_signed" // one party signed
	EventDealSigned                 = "deal.signed"          // the second signature: the contract is binding
	EventDealCancelled              = "deal.cancelled"
	EventDealExpired                = "deal.expired"
)

// DealObjectType is the Event.ObjectType of deal events.
const DealObjectType = "deal"

// dealEvent builds one deal event; every payload also names the acting org
// and role, since Event.ActorID holds only the account.
func dealEvent(typ string, d Deal, a DealActor, now time.Time, payload map[string]any) Event {
	if payload == nil {
		payload = map[string]any{}
	}
	payload["actor_org_id"] = a.OrgID
	payload["actor_role"] = a.Role
	return NewEvent(typ, a.AccountID, DealObjectType, d.ID, payload, now)
}
