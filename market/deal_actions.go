package market

import "time"

// DealAction is one thing an actor does to a deal; ApplyDeal checks who may
// do it in which state (dealRules) and then applies it. The set is closed:
// only the types in this file implement it.
type DealAction interface {
	// Name is the action's key in dealRules and its name in errors, e.g. "accept_offer".
	Name() string
	// apply changes n, a clone of the deal that passed the role and state
	// checks, and returns the events; on error n is discarded.
	apply(n *Deal, a DealActor, now time.Time) ([]Event, error)
}

// AcceptInquiry is the answering side agreeing to talk.
type AcceptInquiry struct{}

// DeclineInquiry is the answering side refusing the inquiry; it ends the deal.
type DeclineInquiry struct{ Reason string }

// AcceptNDA is the buyer accepting the deal's NDA; Hash is the hash of the
// text the buyer was shown, so an NDA edited meanwhile is refused.
type AcceptNDA struct{ Hash string }

// PostMessage adds a message to the deal's thread.
type PostMessage struct{ Body string }

// InviteIntermediary names a broker with the fee the inviting party offers.
type InviteIntermediary struct {
	OrgID string
	Fee   FeeTerms
}

// RespondIntermediary is the invited intermediary accepting or declining.
type RespondIntermediary struct{ Accept bool }

// AgreeIntermediaryFee is the party that did not invite agreeing to the fee,
// or refusing it, which removes the intermediary.
type AgreeIntermediaryFee struct{ Agree bool }

// ProposeOffer puts terms on the table; it counters the open offer, and after
// a contract was drafted it voids that contract and any signature on it.
// PlatformBPS is the platform fee in force, set by the service, so terms
// that fees would leave unpayable are refused when made.
type ProposeOffer struct {
	Terms       OfferTerms
	PlatformBPS int64
}

// RejectOffer refuses the latest offer.
type RejectOffer struct {
	Number int
	Reason string
}

// WithdrawOffer takes back one's own latest offer.
type WithdrawOffer struct{ Number int }

// AcceptOffer accepts the latest offer and drafts the contract from it;
// Contract carries the parties' registered details, loaded by the service.
type AcceptOffer struct {
	Number      int
	Contract    ContractInput
	PlatformBPS int64 // the platform fee in force, set by the service
}

// SignContract signs the drafted contract; Hash must be the hash the signer
// was shown, so a contract changed meanwhile is refused. PlatformBPS is the
// platform fee in force, set by the service: the second signature records
// it in a /1 contract, whose document does not state one.
type SignContract struct {
	Hash        string
	PlatformBPS int64
}

// CancelDeal ends the deal before signing.
type CancelDeal struct{ Reason string }

// ExpireDeal ends a deal that saw no activity for IdleFor, the configured
// time; the sweeper runs it as DealRoleSystem.
type ExpireDeal struct{ IdleFor time.Duration }

// Name implements DealAction.
func (AcceptInquiry) Name() string { return "accept_inquiry" }

// Name implements DealAction.
func (DeclineInquiry) Name() string { return "decline_inquiry" }

// Name implements DealAction.
func (AcceptNDA) Name() string { return "accept_nda" }

// Name implements DealAction.
func (PostMessage) Name() string { return "post_message" }

// Name implements DealAction.
func (InviteIntermediary) Name() string { return "invite_intermediary" }

// Name implements DealAction.
func (RespondIntermediary) Name() string { return "respond_intermediary" }

// Name implements DealAction.
func (AgreeIntermediaryFee) Name() string { return "agree_intermediary_fee" }

// Name implements DealAction.
func (ProposeOffer) Name() string { return "propose_offer" }

// Name implements DealAction.
func (RejectOffer) Name() string { return "reject_offer" }

// Name implements DealAction.
func (WithdrawOffer) Name() string { return "withdraw_offer" }

// Name implements DealAction.
func (AcceptOffer) Name() string { return "accept_offer" }

// Name implements DealAction.
func (SignContract) Name() string { return "sign_contract" }

// Name implements DealAction.
func (CancelDeal) Name() string { return "cancel" }

// Name implements DealAction.
func (ExpireDeal) Name() string { return "expire" }

// dealActions pins every action type to the interface at compile time.
var dealActions = []DealAction{AcceptInquiry{}, DeclineInquiry{}, AcceptNDA{}, PostMessage{},
	InviteIntermediary{}, RespondIntermediary{}, AgreeIntermediaryFee{}, ProposeOffer{}, RejectOffer{},
	WithdrawOffer{}, AcceptOffer{}, SignContract{}, CancelDeal{}, ExpireDeal{}}
