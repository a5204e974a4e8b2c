package api

import (
	"net/http"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// Request bodies of the deal routes.
type (
	openDealRequest struct {
		OutcomeID  string `json:"outcome_id,omitempty"`
		ProposalID string `json:"proposal_id,omitempty"`
		OrgID      string `json:"org_id,omitempty"`
		Message    string `json:"message,omitempty"`
	}
	reasonRequest struct {
		Reason string `json:"reason,omitempty"`
	}
	hashRequest struct {
		Hash string `json:"hash,omitempty"`
	}
	messageRequest struct {
		Body string `json:"body,omitempty"`
	}
	inviteIntermediaryRequest struct {
		OrgID       string `json:"org_id,omitempty"`
		FeeBasis    string `json:"fee_basis,omitempty"`
		FeeBPS      int64  `json:"fee_bps,omitempty"`
		FeeFixed    int64  `json:"fee_fixed,omitempty"`
		FeeCurrency string `json:"fee_currency,omitempty"`
		FeePayer    string `json:"fee_payer,omitempty"`
	}
	respondRequest struct {
		Accept bool `json:"accept"`
	}
	agreeRequest struct {
		Agree bool `json:"agree"`
	}
	milestoneTermsBody struct {
		Title       string `json:"title,omitempty"`
		Deliverable string `json:"deliverable,omitempty"`
		Amount      int64  `json:"amount,omitempty"`
		DueDate     string `json:"due_date,omitempty"` // YYYY-MM-DD
	}
	licenceBody struct {
		Exclusive  bool   `json:"exclusive"`
		Territory  string `json:"territory,omitempty"`
		FieldOfUse string `json:"field_of_use,omitempty"`
		TermMonths int    `json:"term_months,omitempty"`
	}
	offerRequest struct {
		ContractType       string                 `json:"contract_type,omitempty"`
		Price              int64                  `json:"price,omitempty"`
		Currency           string                 `json:"currency,omitempty"`
		NonTechnicalAmount int64                  `json:"non_technical_amount,omitempty"`
		Milestones         []milestoneTermsBody   `json:"milestones,omitempty"`
		Licence            *licenceBody           `json:"licence,omitempty"`
		RoyaltyBPS         int64                  `json:"royalty_bps,omitempty"`
		Registration       *registrationTermsBody `json:"registration,omitempty"`
	}
)

// terms parses the offer into domain terms; malformed dates are named by
// their field, the rest is checked by OfferTerms.Validate.
func (r offerRequest) terms() (market.OfferTerms, error) {
	t := market.OfferTerms{ContractType: r.ContractType, Price: r.Price, Currency: r.Currency,
		NonTechnicalAmount: r.NonTechnicalAmount, RoyaltyBPS: r.RoyaltyBPS}
	var f market.Fields
	for i, m := range r.Milestones {
		mt := market.MilestoneTerms{Title: m.Title, Deliverable: m.Deliverable, Amount: m.Amount}
		if m.DueDate != "" {
			due, err := time.Parse(time.DateOnly, m.DueDate)
			if err != nil {
				f.Add("milestones["+strconv.Itoa(i)+"].due_date", msgs.DateYYYYMMDD)
			}
			mt.Due = due
		}
		t.Milestones = append(t.Milestones, mt)
	}
	if l := r.Licence; l != nil {
		t.Licence = &market.LicenceScope{Exclusive: l.Exclusive, Territory: l.Territory, FieldOfUse: l.FieldOfUse, TermMonths: l.TermMonths}
	}
	t.Registration = r.Registration.terms(&f)
	return t, f.Err()
}

// Response bodies.
type (
	orgRef struct {
		ID     string `json:"id"`
		NameZH string `json:"name_zh"`
		NameEN string `json:"name_en"`
	}
	feeBody struct {
		Basis    string `json:"basis"`
		BPS      int64  `json:"bps,omitempty"`
		Fixed    int64  `json:"fixed,omitempty"`
		Currency string `json:"currency,omitempty"`
		Payer    string `json:"payer"`
	}
	intermediaryResponse struct {
		orgRef
		Status        string  `json:"status"`
		InvitedByRole string  `json:"invited_by_role"`
		BuyerAgreed   bool    `json:"buyer_agreed"`
		SellerAgreed  bool    `json:"seller_agreed"`
		Active        bool    `json:"active"`
		Fee           feeBody `json:"fee"`
	}
	ndaResponse struct {
		OrgID       string    `json:"org_id"`
		Version     int       `json:"version"`
		Text        string    `json:"text"`
		Hash        string    `json:"hash"`
		PublishedAt time.Time `json:"published_at"`
	}
	ndaAcceptanceResponse struct {
		OrgID      string    `json:"org_id"`
		AccountID  string    `json:"account_id"`
		NDAVersion int       `json:"nda_version"`
		NDAHash    string    `json:"nda_hash"`
		AcceptedAt time.Time `json:"accepted_at"`
	}
	offerResponse struct {
		Number         int          `json:"number"`
		ProposedByOrg  string       `json:"proposed_by_org_id"`
		ProposedByRole string       `json:"proposed_by_role"`
		Status         string       `json:"status"`
		Terms          offerRequest `json:"terms"`
		CreatedAt      time.Time    `json:"created_at"`
		RespondedAt    *time.Time   `json:"responded_at,omitempty"`
	}
	contractResponse struct {
		OfferNumber int       `json:"offer_number"`
		NameZH      string    `json:"name_zh"`
		NameEN      string    `json:"name_en"`
		Hash        string    `json:"hash"`
		Document    string    `json:"document"`
		DraftedAt   time.Time `json:"drafted_at"`
		Format      string    `json:"format,omitempty"`
		PlatformBPS *int64    `json:"platform_bps,omitempty"`
	}
	signatureResponse struct {
		Role      string    `json:"role"`
		OrgID     string    `json:"org_id"`
		AccountID string    `json:"account_id"`
		Hash      string    `json:"hash"`
		SignedAt  time.Time `json:"signed_at"`
	}
	dealMessageResponse struct {
		ID        string    `json:"id"`
		OrgID     string    `json:"org_id"`
		Role      string    `json:"role"`
		AccountID string    `json:"account_id"`
		Body      string    `json:"body"`
		CreatedAt time.Time `json:"created_at"`
	}
	dealResponse struct {
		ID                  string                 `json:"id"`
		Version             int64                  `json:"version"`
		State               string                 `json:"state"`
		Source              string                 `json:"source"`
		ListingID           string                 `json:"listing_id"`
		ScenarioID          string                 `json:"scenario_id,omitempty"`
		Subject             string                 `json:"subject"`
		Role                string                 `json:"role"`
		Signatory           bool                   `json:"signatory"`
		ConfidentialVisible bool                   `json:"confidential_visible"`
		Buyer               orgRef                 `json:"buyer"`
		Seller              orgRef                 `json:"seller"`
		Intermediary        *intermediaryResponse  `json:"intermediary,omitempty"`
		NDA                 *ndaResponse           `json:"nda,omitempty"`
		NDAAcceptance       *ndaAcceptanceResponse `json:"nda_acceptance,omitempty"`
		Offers              []offerResponse        `json:"offers"`
		Contract            *contractResponse      `json:"contract,omitempty"`
		Signatures          []signatureResponse    `json:"signatures"`
		Messages            []dealMessageResponse  `json:"messages,omitempty"`
		CreatedAt           time.Time              `json:"created_at"`
		UpdatedAt           time.Time              `json:"updated_at"`
		LastActivityAt      time.Time              `json:"last_activity_at"`
		SignedAt            *time.Time             `json:"signed_at,omitempty"`
		ClosedAt            *time.Time             `json:"closed_at,omitempty"`
		CloseReason         string                 `json:"close_reason,omitempty"`
	}
)

func toOrgRef(o *market.Organization) orgRef {
	if o == nil {
		return orgRef{}
	}
	return orgRef{ID: o.ID, NameZH: o.NameZH, NameEN: o.NameEN}
}

// fee is the fee terms of an invitation or a join request.
func (r inviteIntermediaryRequest) fee() market.FeeTerms {
	return market.FeeTerms{Basis: r.FeeBasis, BPS: r.FeeBPS, Fixed: r.FeeFixed, Currency: r.FeeCurrency, Payer: r.FeePayer}
}

func toFeeBody(f market.FeeTerms) feeBody {
	return feeBody{Basis: f.Basis, BPS: f.BPS, Fixed: f.Fixed, Currency: f.Currency, Payer: f.Payer}
}

func toOfferBody(t market.OfferTerms) offerRequest {
	b := offerRequest{ContractType: t.ContractType, Price: t.Price, Currency: t.Currency,
		NonTechnicalAmount: t.NonTechnicalAmount, RoyaltyBPS: t.RoyaltyBPS, Milestones: []milestoneTermsBody{}}
	for _, m := range t.Milestones {
		b.Milestones = append(b.Milestones, milestoneTermsBody{Title: m.Title, Deliverable: m.Deliverable,
			Amount: m.Amount, DueDate: m.Due.UTC().Format(time.DateOnly)})
	}
	if l := t.Licence; l != nil {
		b.Licence = &licenceBody{Exclusive: l.Exclusive, Territory: l.Territory, FieldOfUse: l.FieldOfUse, TermMonths: l.TermMonths}
	}
	b.Registration = toRegistrationTermsBody(t.Registration)
	return b
}

// optionalTime is nil for the zero time, so unset times are left out.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toDealResponse(v *market.DealView) dealResponse {
	d := v.Deal
	r := dealResponse{ID: d.ID, Version: d.Version, State: d.State, Source: d.Source, ListingID: d.ListingID,
		ScenarioID: d.ScenarioID, Subject: v.Subject, Role: v.As.Role, Signatory: v.As.Signatory,
		ConfidentialVisible: v.ConfidentialVisible, Buyer: toOrgRef(v.Buyer), Seller: toOrgRef(v.Seller),
		Offers: []offerResponse{}, Signatures: []signatureResponse{},
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, LastActivityAt: d.LastActivityAt,
		SignedAt: optionalTime(d.SignedAt), ClosedAt: optionalTime(d.ClosedAt), CloseReason: d.CloseReason}
	if im := d.Intermediary; im != nil {
		ref := toOrgRef(v.Intermediary)
		ref.ID = im.OrgID
		r.Intermediary = &intermediaryResponse{orgRef: ref, Status: im.Status, InvitedByRole: im.InvitedByRole,
			BuyerAgreed: im.BuyerAgreed, SellerAgreed: im.SellerAgreed, Active: im.Active(), Fee: toFeeBody(im.Fee)}
	}
	if n := d.NDA; n != nil {
		r.NDA = &ndaResponse{OrgID: n.OwnerOrgID, Version: n.Version, Text: n.Text, Hash: n.Hash, PublishedAt: n.PublishedAt}
	}
	if a := d.NDAAcceptance; a != nil {
		r.NDAAcceptance = &ndaAcceptanceResponse{OrgID: a.OrgID, AccountID: a.AccountID, NDAVersion: a.NDAVersion,
			NDAHash: a.NDAHash, AcceptedAt: a.AcceptedAt}
	}
	for _, o := range d.Offers {
		r.Offers = append(r.Offers, offerResponse{Number: o.Number, ProposedByOrg: o.ProposedByOrgID, ProposedByRole: o.ProposedByRole,
			Status: o.Status, Terms: toOfferBody(o.Terms), CreatedAt: o.CreatedAt, RespondedAt: optionalTime(o.RespondedAt)})
	}
	if c := d.Contract; c != nil {
		r.Contract = &contractResponse{OfferNumber: c.OfferNumber, NameZH: c.NameZH, NameEN: c.NameEN, Hash: c.Hash,
			Format: c.Format, PlatformBPS: c.PlatformBPS,
			Document: c.Document, DraftedAt: c.DraftedAt}
	}
	for _, s := range d.Signatures {
		r.Signatures = append(r.Signatures, signatureResponse{Role: s.Role, OrgID: s.OrgID, AccountID: s.AccountID, Hash: s.Hash, SignedAt: s.SignedAt})
	}
	for _, m := range v.Messages {
		r.Messages = append(r.Messages, dealMessageResponse{ID: m.ID, OrgID: m.AuthorOrgID, Role: m.AuthorRole,
			AccountID: m.AuthorAccountID, Body: m.Body, CreatedAt: m.CreatedAt})
	}
	return r
}

func (s *Server) openDeal(c *gin.Context) {
	var req openDealRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if (req.OutcomeID == "") == (req.ProposalID == "") {
		s.writeError(c, market.Invalid("outcome_id", msgs.GiveExactlyOneOutcomeIdAnd))
		return
	}
	var v *market.DealView
	var err error
	if req.OutcomeID != "" {
		v, err = s.Service.OpenDealOnOutcome(c.Request.Context(), actor(c), req.OrgID, req.OutcomeID, req.Message)
	} else {
		v, err = s.Service.OpenDealOnProposal(c.Request.Context(), actor(c), req.ProposalID, req.Message)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	created(c, "/api/v1/deals/"+v.Deal.ID, v.Deal.Version, toDealResponse(v))
}

func (s *Server) listDeals(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := market.DealFilter{Role: c.Query("role"), State: c.Query("state"), After: cursor, Limit: limit}
	if org := c.Query("org_id"); org != "" {
		f.OrgIDs = []string{org}
	}
	vs, err := s.Service.Deals(c.Request.Context(), actor(c), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[dealResponse]{Items: []dealResponse{}}
	for i := range vs {
		resp.Items = append(resp.Items, toDealResponse(&vs[i]))
	}
	if len(vs) == limit {
		resp.NextCursor = vs[len(vs)-1].Deal.ID
	}
	c.JSON(http.StatusOK, resp)
}

func (s *Server) getDeal(c *gin.Context) {
	v, err := s.Service.Deal(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, v.Deal.Version, toDealResponse(v))
}

// dealAction is a handler that decodes one action and applies it; read
// builds the action from the request.
func (s *Server) dealAction(read func(c *gin.Context) (market.DealAction, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		act, err := read(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		// Deal actions carry no body version: the state machine orders
		// them. An If-Match, when sent, still pins the deal as read.
		version, err := optionalIfMatch(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		v, err := s.Service.ActOnDealAt(c.Request.Context(), actor(c), c.Param("id"), version, act)
		if err != nil {
			s.writeError(c, err)
			return
		}
		writeVersioned(c, http.StatusOK, v.Deal.Version, toDealResponse(v))
	}
}

// withBody decodes a JSON body into a fresh Req and maps it to an action;
// an empty body is the zero Req, so optional reasons may be left out.
func withBody[Req any](to func(Req) (market.DealAction, error)) func(*gin.Context) (market.DealAction, error) {
	return func(c *gin.Context) (market.DealAction, error) {
		var req Req
		if err := decodeOptional(c, &req); err != nil {
			return nil, err
		}
		return to(req)
	}
}

// decodeOptional is decode that accepts an empty body.
func decodeOptional(c *gin.Context, dst any) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return nil
	}
	return decode(c, dst)
}

// offerNumber reads the :n path parameter.
func offerNumber(c *gin.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return 0, market.Errorf(market.ENOTFOUND, msgs.OfferXNotFound, c.Param("n"))
	}
	return n, nil
}

var (
	acceptInquiryAction = func(*gin.Context) (market.DealAction, error) { return market.AcceptInquiry{}, nil }
	declineAction       = withBody(func(r reasonRequest) (market.DealAction, error) { return market.DeclineInquiry{Reason: r.Reason}, nil })
	acceptNDAAction     = withBody(func(r hashRequest) (market.DealAction, error) { return market.AcceptNDA{Hash: r.Hash}, nil })
	messageAction       = withBody(func(r messageRequest) (market.DealAction, error) { return market.PostMessage{Body: r.Body}, nil })
	inviteAction        = withBody(func(r inviteIntermediaryRequest) (market.DealAction, error) {
		return market.InviteIntermediary{OrgID: r.OrgID, Fee: r.fee()}, nil
	})
	respondAction = withBody(func(r respondRequest) (market.DealAction, error) {
		return market.RespondIntermediary{Accept: r.Accept}, nil
	})
	agreeAction = withBody(func(r agreeRequest) (market.DealAction, error) {
		return market.AgreeIntermediaryFee{Agree: r.Agree}, nil
	})
	proposeAction = withBody(func(r offerRequest) (market.DealAction, error) {
		t, err := r.terms()
		return market.ProposeOffer{Terms: t}, err
	})
	signAction   = withBody(func(r hashRequest) (market.DealAction, error) { return market.SignContract{Hash: r.Hash}, nil })
	cancelAction = withBody(func(r reasonRequest) (market.DealAction, error) { return market.CancelDeal{Reason: r.Reason}, nil })
)

func acceptOfferAction(c *gin.Context) (market.DealAction, error) {
	n, err := offerNumber(c)
	return market.AcceptOffer{Number: n}, err
}

func withdrawOfferAction(c *gin.Context) (market.DealAction, error) {
	n, err := offerNumber(c)
	return market.WithdrawOffer{Number: n}, err
}

func rejectOfferAction(c *gin.Context) (market.DealAction, error) {
	n, err := offerNumber(c)
	if err != nil {
		return nil, err
	}
	var req reasonRequest
	if err := decodeOptional(c, &req); err != nil {
		return nil, err
	}
	return market.RejectOffer{Number: n, Reason: req.Reason}, nil
}
