package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

// offerRows is how many milestone rows the offer form shows; blank rows
// are left out of the offer.
const offerRows = 3

// dealRoomPage is the deal room: everything about one deal for one visitor,
// with the forms the visitor's role and the deal's state allow.
type dealRoomPage struct {
	View     *market.DealView
	Listing  *market.DealListing
	Offers   offerTable
	Contract *market.Contract
	Mile     []market.Milestone
	Lang     string

	// What the visitor may do now.
	CanAnswer, CanAcceptNDA, CanInvite, CanRespond, CanAgreeFee, CanPropose       bool
	CanAcceptOffer, CanRejectOffer, CanWithdrawOffer, CanSign, CanCancel, CanPost bool
	OpenOffer                                                                     int // the latest open offer's number, 0 when none

	OfferForm   *form
	MessageForm *form
	InviteForm  *form
	Brokers     []market.Broker // the directory, for the invite form
	JoinURL     string          // the link a party shares with a broker who may ask to join
	OlderCount  int             // messages before the recent ones, shown folded
	Error       string          // a refusal of the whole step (conflict, forbidden)
	Rows        []milestoneRow  // the offer form's milestone rows
	Types       []string
}

// milestoneRow is one milestone row of the offer form.
type milestoneRow struct{ Index, Number int }

func milestoneRows() []milestoneRow {
	rows := make([]milestoneRow, offerRows)
	for i := range rows {
		rows[i] = milestoneRow{i, i + 1}
	}
	return rows
}

// offerTable lays the offers side by side: one column per offer, one row
// per term, and marks the cells that differ from the previous offer.
type offerTable struct {
	Heads []offerHead
	Rows  []offerRow
}

type offerHead struct {
	Number int
	Role   string
	Status string
}

type offerRow struct {
	Key   string // catalogue key of the term
	Label string // a literal label, for milestone rows
	Cells []offerCell
}

type offerCell struct {
	Text    string
	Changed bool
}

// Money formats minor units of currency.
func (p *dealRoomPage) Money(minor int64, currency string) string {
	return money(minor, currency, p.Lang)
}

// Date formats a date.
func (p *dealRoomPage) Date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// When formats a time in China's time zone, where the parties are.
func (p *dealRoomPage) When(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
}

// OrgName names an organisation of the deal in the page language.
func (p *dealRoomPage) OrgName(orgID string) string {
	for _, o := range []*market.Organization{p.View.Buyer, p.View.Seller, p.View.Intermediary} {
		if o != nil && o.ID == orgID {
			return o.Name(p.Lang)
		}
	}
	return orgID
}

// recentMessages is how many of the newest messages the room shows open.
const recentMessages = 5

// dealMessage is one message of the thread as shown.
type dealMessage struct{ Org, Role, When, Body, AuthorRole string }

// Msg lays out a thread message.
func (p *dealRoomPage) Msg(m market.DealMessage) dealMessage {
	return dealMessage{Org: p.OrgName(m.AuthorOrgID), Role: translate(p.Lang, "deal.role."+m.AuthorRole),
		When: p.When(m.CreatedAt), Body: m.Body, AuthorRole: m.AuthorRole}
}

// FeeText says an intermediary fee in words: a percentage of the contract
// price or a fixed amount, and who pays it.
func (p *dealRoomPage) FeeText(f market.FeeTerms) string {
	amount := percentText(f.BPS) + " " + translate(p.Lang, "deal.im.of_price")
	if f.Basis == market.FeeBasisFixed {
		amount = p.Money(f.Fixed, f.Currency)
	}
	return amount + " · " + translate(p.Lang, "deal.im.payer."+f.Payer)
}

// FeeForm is the invitation form, for the shared fee fields.
func (p *dealRoomPage) FeeForm() *form { return p.InviteForm }

// Fingerprint is the short form of a SHA-256 hex digest people compare.
func (p *dealRoomPage) Fingerprint(hash string) string { return fingerprint(hash) }

// money renders an amount in the page's one format for its language
// (ledger.Format: zh "¥1,500,000.00", en "CNY 1,500,000.00").
func money(minor int64, currency, lang string) string {
	return ledger.Format(minor, currency, lang)
}

// buildOfferTable compares each offer with the one before it.
func buildOfferTable(offers []market.Offer, lang string) offerTable {
	var t offerTable
	rows := map[string]*offerRow{}
	var order []string
	cell := func(key, label string, i int, text string) {
		r, ok := rows[key]
		if !ok {
			r = &offerRow{Key: key, Label: label, Cells: make([]offerCell, len(offers))}
			rows[key] = r
			order = append(order, key)
		}
		r.Cells[i] = offerCell{Text: text}
	}
	for i, o := range offers {
		t.Heads = append(t.Heads, offerHead{Number: o.Number, Role: o.ProposedByRole, Status: o.Status})
		tm := o.Terms
		cell("deal.term.contract_type", "", i, translate(lang, "deal.contract_type."+tm.ContractType))
		cell("deal.term.price", "", i, money(tm.Price, tm.Currency, lang))
		cell("deal.term.non_technical", "", i, money(tm.NonTechnicalAmount, tm.Currency, lang))
		if tm.RoyaltyBPS > 0 {
			cell("deal.term.royalty", "", i, fmt.Sprintf("%d.%02d%%", tm.RoyaltyBPS/100, tm.RoyaltyBPS%100))
		}
		if l := tm.Licence; l != nil {
			kind := translate(lang, map[bool]string{true: "deal.licence.exclusive", false: "deal.licence.non_exclusive"}[l.Exclusive])
			cell("deal.term.licence", "", i, fmt.Sprintf("%s · %s · %s · %d", kind, l.Territory, l.FieldOfUse, l.TermMonths))
		}
		for j, m := range tm.Milestones {
			cell(fmt.Sprintf("m%d", j), fmt.Sprintf("%s %d", translate(lang, "deal.term.milestone"), j+1), i,
				fmt.Sprintf("%s — %s — %s — %s", m.Title, m.Deliverable, money(m.Amount, tm.Currency, lang), m.Due.Format(time.DateOnly)))
		}
	}
	for _, k := range order {
		r := rows[k]
		for i := 1; i < len(r.Cells); i++ {
			r.Cells[i].Changed = r.Cells[i].Text != r.Cells[i-1].Text
		}
		if r.Label == "" {
			r.Label = translate(lang, r.Key)
		}
		t.Rows = append(t.Rows, *r)
	}
	return t
}

// dealRoom shows one deal.
func (s *Server) dealRoom(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.dealRoomPage(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "deal", p)
	return nil
}

// dealRoomPage loads the deal and decides which forms to show.
func (s *Server) dealRoomPage(r *http.Request, v *visit) (*dealRoomPage, error) {
	ctx := r.Context()
	id := r.PathValue("id")
	dv, err := s.svc.Deal(ctx, v.Actor, id)
	if err != nil {
		return nil, err
	}
	l, err := s.svc.DealListing(ctx, v.Actor, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.svc.DealMilestones(ctx, v.Actor, id)
	if err != nil {
		return nil, err
	}
	d := dv.Deal
	role := dv.As.Role
	party := role == market.DealRoleBuyer || role == market.DealRoleSeller
	participant := party || role == market.DealRoleIntermediary && d.Intermediary.Active()
	before := slices.Contains([]string{market.DealInquiry, market.DealNDA, market.DealNegotiation}, d.State)
	p := &dealRoomPage{View: dv, Listing: l, Offers: buildOfferTable(d.Offers, v.Lang), Contract: d.Contract, Mile: ms,
		Lang: v.Lang, Types: market.ContractTypes, Rows: milestoneRows(),
		OfferForm: offerFormFrom(d.LatestOffer()), MessageForm: &form{}, InviteForm: inviteForm(d)}
	p.CanAnswer = party && d.State == market.DealInquiry && role != d.OpenedByRole
	p.CanAcceptNDA = role == market.DealRoleBuyer && d.NDA != nil && d.NDAAcceptance == nil && (d.State == market.DealInquiry || d.State == market.DealNDA)
	p.CanInvite = party && before && d.Intermediary == nil
	if p.CanInvite {
		if p.Brokers, err = s.svc.Brokers(ctx, v.Actor, "", market.MaxPageSize); err != nil {
			return nil, err
		}
		p.JoinURL = siteURL(r) + "/deals/" + d.ID + "/join"
	}
	if n := len(dv.Messages); n > recentMessages {
		p.OlderCount = n - recentMessages
	}
	p.CanRespond = role == market.DealRoleIntermediary && d.Intermediary.Status == market.IntermediaryInvited && before
	if im := d.Intermediary; party && im != nil && before {
		p.CanAgreeFee = role == market.DealRoleBuyer && !im.BuyerAgreed || role == market.DealRoleSeller && !im.SellerAgreed
	}
	p.CanPropose = participant && (d.State == market.DealNegotiation || d.State == market.DealContractDrafted)
	if o := d.LatestOffer(); o != nil && o.Status == market.OfferOpen && d.State == market.DealNegotiation {
		p.OpenOffer = o.Number
		mine := o.ProposedByOrgID == dv.As.OrgID
		p.CanAcceptOffer, p.CanRejectOffer = party && !mine, party && !mine
		p.CanWithdrawOffer = participant && mine
	}
	p.CanSign = party && dv.As.Signatory && d.State == market.DealContractDrafted && d.SignatureOf(role) == nil
	p.CanCancel = party && slices.Contains(market.DealExpirableStates, d.State)
	p.CanPost = participant && d.State != market.DealDeclined && d.State != market.DealCancelled && d.State != market.DealExpired && d.State != market.DealCompleted
	return p, nil
}

// offerFormFrom fills the offer form with the latest terms, so a counter-offer
// starts from what is on the table.
func offerFormFrom(o *market.Offer) *form {
	f := &form{Values: map[string]string{"contract_type": market.ContractDevelopment, "currency": "CNY"}, Errors: map[string]string{}, Prefix: offerPrefix, IDs: offerIDs}
	if o == nil {
		return f
	}
	t := o.Terms
	f.Values["contract_type"], f.Values["currency"] = t.ContractType, t.Currency
	f.Values["price"], f.Values["non_technical_amount"] = majorAmount(t.Price, t.Currency), majorAmount(t.NonTechnicalAmount, t.Currency)
	if t.RoyaltyBPS > 0 {
		f.Values["royalty_percent"] = percentInput(t.RoyaltyBPS)
	}
	if l := t.Licence; l != nil {
		f.Values["licence.territory"], f.Values["licence.field_of_use"] = l.Territory, l.FieldOfUse
		f.Values["licence.term_months"] = strconv.Itoa(l.TermMonths)
		if l.Exclusive {
			f.Values["licence.exclusive"] = "on"
		}
	}
	registrationFormValues(f, t)
	for i, m := range t.Milestones {
		if i >= offerRows {
			break
		}
		p := fmt.Sprintf("milestones[%d].", i)
		f.Values[p+"title"], f.Values[p+"deliverable"] = m.Title, m.Deliverable
		f.Values[p+"amount"], f.Values[p+"due_date"] = majorAmount(m.Amount, t.Currency), m.Due.Format(time.DateOnly)
	}
	return f
}

// offerFields names every field of the offer form.
func offerFields() []string {
	// "milestones" and "licence" carry no input of their own; listing
	// them lets their errors show at their place in the form.
	names := []string{"milestones", "licence", "contract_type", "price", "currency", "non_technical_amount", "royalty_percent",
		"licence.exclusive", "licence.territory", "licence.field_of_use", "licence.term_months"}
	names = append(names, registrationFormFields...)
	for i := 0; i < offerRows; i++ {
		for _, k := range []string{"title", "deliverable", "amount", "due_date"} {
			names = append(names, fmt.Sprintf("milestones[%d].%s", i, k))
		}
	}
	return names
}

// offerTerms parses the offer form; amounts are typed in major units of
// the offer's currency, with its decimals (JPY "1000" is 1000 yen).
func offerTerms(f *form) (market.OfferTerms, error) {
	var fe market.Fields
	cur := f.Value("currency")
	if _, err := ledger.Lookup(formCurrency(cur)); err != nil {
		fe.Add("currency", msgs.XNotCurrencyPlatformHandles, cur)
	}
	amount := func(name string, required bool) int64 {
		s := f.Value(name)
		if s == "" && !required {
			return 0
		}
		n, ok := parseAmount(s, cur)
		if !ok && !fe.Has("currency") {
			fe.Add(name, msgs.Text, amountHint(cur))
		}
		return n
	}
	t := market.OfferTerms{ContractType: f.Value("contract_type"), Currency: f.Value("currency"),
		Price: amount("price", true), NonTechnicalAmount: amount("non_technical_amount", false)}
	if s := f.Value("royalty_percent"); strings.TrimSpace(s) != "" {
		n, ok := parsePercent(s)
		if !ok {
			fe.Add("royalty_percent", msgs.PercentTwoDecimals)
		}
		t.RoyaltyBPS = n
	}
	if t.ContractType == market.ContractLicence {
		months, _ := strconv.Atoi(strings.TrimSpace(f.Value("licence.term_months")))
		t.Licence = &market.LicenceScope{Exclusive: f.Value("licence.exclusive") != "", Territory: f.Value("licence.territory"),
			FieldOfUse: f.Value("licence.field_of_use"), TermMonths: months}
	}
	for i := 0; i < offerRows; i++ {
		p := fmt.Sprintf("milestones[%d].", i)
		if f.Value(p+"title")+f.Value(p+"deliverable")+f.Value(p+"amount")+f.Value(p+"due_date") == "" {
			continue
		}
		m := market.MilestoneTerms{Title: f.Value(p + "title"), Deliverable: f.Value(p + "deliverable"), Amount: amount(p+"amount", true)}
		if due, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Value(p+"due_date"))); err == nil {
			m.Due = due
		} else if f.Value(p+"due_date") != "" {
			fe.Add(p+"due_date", msgs.DateYYYYMMDD)
		}
		t.Milestones = append(t.Milestones, m)
	}
	t.Registration = registrationFormTerms(f, cur, &fe)
	return t, fe.Err()
}

// dealAct takes the step named by the form's "action" and returns to the
// room; refused input comes back in place, a refused step as a message.
func (s *Server) dealAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	action := r.PostFormValue("action")
	number, _ := strconv.Atoi(r.PostFormValue("offer"))
	var act market.DealAction
	var f *form
	var err error
	switch action {
	case "accept":
		act = market.AcceptInquiry{}
	case "decline":
		act = market.DeclineInquiry{Reason: r.PostFormValue("reason")}
	case "accept_nda":
		act = market.AcceptNDA{Hash: r.PostFormValue("hash")}
	case "message":
		f = newForm(r, "body")
		act = market.PostMessage{Body: f.Value("body")}
	case "invite":
		f = newForm(r, feeFields...)
		var fee market.FeeTerms
		fee, err = feeTerms(f)
		act = market.InviteIntermediary{OrgID: f.Value("org_id"), Fee: fee}
	case "respond_intermediary":
		act = market.RespondIntermediary{Accept: r.PostFormValue("accept") == "yes"}
	case "agree_fee":
		act = market.AgreeIntermediaryFee{Agree: r.PostFormValue("agree") == "yes"}
	case "propose":
		f = newForm(r, offerFields()...)
		var t market.OfferTerms
		t, err = offerTerms(f)
		act = market.ProposeOffer{Terms: t}
	case "accept_offer":
		act = market.AcceptOffer{Number: number}
	case "reject_offer":
		act = market.RejectOffer{Number: number, Reason: r.PostFormValue("reason")}
	case "withdraw_offer":
		act = market.WithdrawOffer{Number: number}
	case "sign":
		act = market.SignContract{Hash: r.PostFormValue("hash")}
	case "cancel":
		act = market.CancelDeal{Reason: r.PostFormValue("reason")}
	default:
		return market.Invalid("action", msgs.UnknownActionX, action)
	}
	if err == nil {
		_, err = s.svc.ActOnDeal(r.Context(), v.Actor, id, act)
	}
	if err == nil {
		http.Redirect(w, r, "/deals/"+id+"?done=deal_"+action, http.StatusSeeOther)
		return nil
	}
	code := market.ErrorCode(err)
	if code != market.EINVALID && code != market.ECONFLICT && code != market.EFORBIDDEN {
		return err
	}
	p, perr := s.dealRoomPage(r, v)
	if perr != nil {
		return perr
	}
	status := http.StatusUnprocessableEntity
	switch {
	case f != nil && f.take(v.Lang, err):
		switch action {
		case "message":
			p.MessageForm = f
		case "invite":
			p.InviteForm = f
		case "propose":
			f.Prefix, f.IDs = offerPrefix, offerIDs
			p.OfferForm = f
		}
	default:
		p.Error = translate(v.Lang, "deal.refused") + " " + refusal(v.Lang, err)
		status = map[string]int{market.ECONFLICT: http.StatusConflict, market.EFORBIDDEN: http.StatusForbidden}[code]
		if status == 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	s.render(w, v, status, "deal", p)
	return nil
}

// offerPrefix starts the offer form's element ids, apart from the deal
// room's other forms.
const offerPrefix = "o-"

// maxOfferRows bounds the milestone rows an offer form can show (the
// market takes at most 50 milestones).
const maxOfferRows = 50

// offerIDs are the offer form's ids that do not follow offerPrefix
// (deal.html; the end-to-end test drives them).
var offerIDs = func() map[string]string {
	ids := map[string]string{"licence.territory": "o-territory", "licence.field_of_use": "o-field_of_use", "licence.term_months": "o-term_months"}
	for i := range maxOfferRows {
		for field, suffix := range map[string]string{"title": "title", "deliverable": "deliverable", "amount": "amount", "due_date": "due"} {
			ids[fmt.Sprintf("milestones[%d].%s", i, field)] = fmt.Sprintf("o-m%d-%s", i, suffix)
		}
	}
	return ids
}()

// myDealsPage lists the visitor's deals, and for intermediaries their fees.
type myDealsPage struct {
	Deals []market.DealView
	Fees  []market.IntermediaryDeal
	Role  string
	Roles []string
	Lang  string
}

// Money formats minor units of currency.
func (p *myDealsPage) Money(minor int64, currency string) string {
	return money(minor, currency, p.Lang)
}

// Name names an organisation in the page language.
func (p *myDealsPage) Name(o *market.Organization) string {
	if o == nil {
		return ""
	}
	return o.Name(p.Lang)
}

// myDeals shows the visitor's deals with their states.
func (s *Server) myDeals(w http.ResponseWriter, r *http.Request, v *visit) error {
	role := r.URL.Query().Get("role")
	if !slices.Contains([]string{market.DealRoleBuyer, market.DealRoleSeller, market.DealRoleIntermediary}, role) {
		role = ""
	}
	p := &myDealsPage{Role: role, Lang: v.Lang, Roles: []string{market.DealRoleBuyer, market.DealRoleSeller, market.DealRoleIntermediary}}
	var err error
	if p.Deals, err = s.svc.Deals(r.Context(), v.Actor, market.DealFilter{Role: role, Limit: market.MaxPageSize}); err != nil {
		return err
	}
	for _, m := range v.Actor.Memberships {
		fees, err := s.svc.IntermediaryDeals(r.Context(), v.Actor, m.OrgID, market.MaxPageSize)
		if err != nil {
			return err
		}
		p.Fees = append(p.Fees, fees...)
	}
	s.render(w, v, http.StatusOK, "deals", p)
	return nil
}

// newDealPage is the inquiry form on an outcome.
type newDealPage struct {
	Outcome *market.Outcome
	Orgs    []*market.Organization
	Form    *form
	Lang    string
	// NoNDA: the outcome is confidential and its owner published no NDA,
	// so the service would refuse the inquiry; the page says so up front.
	NoNDA bool
}

// newDealForm asks for the first message of an inquiry on ?outcome=.
func (s *Server) newDealForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.newDealPage(r, v, &form{Values: map[string]string{"outcome_id": r.URL.Query().Get("outcome")}})
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "deal_new", p)
	return nil
}

func (s *Server) newDealPage(r *http.Request, v *visit, f *form) (*newDealPage, error) {
	o, err := s.svc.Outcome(r.Context(), v.Actor, f.Value("outcome_id"))
	if err != nil {
		return nil, err
	}
	p := &newDealPage{Outcome: o, Form: f, Lang: v.Lang}
	if o.Confidential() {
		if _, err := s.svc.CurrentNDA(r.Context(), o.OrgID); market.ErrorCode(err) == market.ENOTFOUND {
			p.NoNDA = true
			return p, nil
		} else if err != nil {
			return nil, err
		}
	}
	// Only the organisations the service lets inquire; with one, the form
	// names it in a hidden field, so members of several still get through.
	p.Orgs, err = s.myOrgs(r.Context(), v, func(org *market.Organization) bool { return buysOutcomes(org) && org.ID != o.OrgID })
	if err != nil {
		return nil, err
	}
	if len(p.Orgs) == 1 {
		f.Values["org_id"] = p.Orgs[0].ID
	}
	return p, nil
}

// openDeal sends the inquiry and opens the deal room.
func (s *Server) openDeal(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "outcome_id", "org_id", "message")
	d, err := s.svc.OpenDealOnOutcome(r.Context(), v.Actor, f.Value("org_id"), f.Value("outcome_id"), f.Value("message"))
	if err != nil {
		if err := takeRefusal(v.Lang, f, err); err != nil {
			return err
		}
		p, perr := s.newDealPage(r, v, f)
		if perr != nil {
			return perr
		}
		s.render(w, v, http.StatusUnprocessableEntity, "deal_new", p)
		return nil
	}
	http.Redirect(w, r, "/deals/"+d.Deal.ID+"?done=deal_opened", http.StatusSeeOther)
	return nil
}

// inviteForm is the empty invitation form, its fixed fee's currency that
// of the latest offer when there is one (CNY otherwise).
func inviteForm(d market.Deal) *form {
	f := &form{Values: map[string]string{"fee_currency": market.DefaultCurrency}, Errors: map[string]string{}}
	if o := d.LatestOffer(); o != nil {
		f.Values["fee_currency"] = o.Terms.Currency
	}
	return f
}

// takeRefusal puts a refused step on its form: field errors next to their
// fields, a conflict or a refusal as the form's message; any other error
// is returned for the error page.
func takeRefusal(lang string, f *form, err error) error {
	code := market.ErrorCode(err)
	if !f.take(lang, err) && code != market.ECONFLICT && code != market.EFORBIDDEN {
		return err
	}
	if f.Error == "" {
		f.Error = translate(lang, "deal.refused") + " " + refusal(lang, err)
	}
	return nil
}

// contractPage is the printable contract or registration of a deal.
type contractPage struct {
	View *market.DealView
	Reg  *market.RegistrationRecord
	Lang string
}

// Money formats minor units of currency.
func (p *contractPage) Money(minor int64, currency string) string {
	return money(minor, currency, p.Lang)
}

// dealContract shows the canonical contract with its hash, for printing.
func (s *Server) dealContract(w http.ResponseWriter, r *http.Request, v *visit) error {
	dv, err := s.svc.Deal(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if dv.Deal.Contract == nil {
		return market.Errorf(market.ENOTFOUND, msgs.NoContractYet)
	}
	s.render(w, v, http.StatusOK, "deal_contract", &contractPage{View: dv, Lang: v.Lang})
	return nil
}
