package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

const dealColumns = `id, version, state, source, listing_id, scenario_id, buyer_org_id, seller_org_id,
	intermediary_org_id, opened_by_role, nda_accepted_org_id, intermediary, nda, nda_acceptance, offers,
	contract, signatures, created_at, updated_at, last_activity_at, signed_at, closed_at, close_reason`

// dealRow is a deals row as stored: the nested parts of a deal are JSON
// documents of their own row types, so the domain types carry no tags.
type dealRow struct {
	intermediary, nda, ndaAcceptance, offers, contract, signatures string
	signedAt, closedAt                                             sql.NullTime
}

// The JSON shapes of a deal's nested parts. They mirror the market types
// field for field; the converters below join the two.
type (
	feeJSON struct {
		Basis    string `json:"basis"`
		BPS      int64  `json:"bps"`
		Fixed    int64  `json:"fixed"`
		Currency string `json:"currency,omitempty"`
		Payer    string `json:"payer"`
	}
	intermediaryJSON struct {
		OrgID         string  `json:"org_id"`
		Fee           feeJSON `json:"fee"`
		Status        string  `json:"status"`
		InvitedByRole string  `json:"invited_by_role"`
		BuyerAgreed   bool    `json:"buyer_agreed"`
		SellerAgreed  bool    `json:"seller_agreed"`
	}
	ndaJSON struct {
		OwnerOrgID  string    `json:"owner_org_id"`
		Version     int       `json:"version"`
		Text        string    `json:"text"`
		Hash        string    `json:"hash"`
		PublishedAt time.Time `json:"published_at"`
	}
	ndaAcceptanceJSON struct {
		OrgID      string    `json:"org_id"`
		AccountID  string    `json:"account_id"`
		NDAVersion int       `json:"nda_version"`
		NDAHash    string    `json:"nda_hash"`
		AcceptedAt time.Time `json:"accepted_at"`
	}
	milestoneTermsJSON struct {
		Title       string    `json:"title"`
		Deliverable string    `json:"deliverable"`
		Amount      int64     `json:"amount"`
		Due         time.Time `json:"due"`
	}
	licenceJSON struct {
		Exclusive  bool   `json:"exclusive"`
		Territory  string `json:"territory"`
		FieldOfUse string `json:"field_of_use"`
		TermMonths int    `json:"term_months"`
	}
	termsJSON struct {
		ContractType       string                 `json:"contract_type"`
		Price              int64                  `json:"price"`
		Currency           string                 `json:"currency"`
		NonTechnicalAmount int64                  `json:"non_technical_amount"`
		Milestones         []milestoneTermsJSON   `json:"milestones"`
		Licence            *licenceJSON           `json:"licence,omitempty"`
		Registration       *registrationTermsJSON `json:"registration,omitempty"`
		RoyaltyBPS         int64                  `json:"royalty_bps"`
	}
	offerJSON struct {
		Number              int       `json:"number"`
		ProposedByOrgID     string    `json:"proposed_by_org_id"`
		ProposedByRole      string    `json:"proposed_by_role"`
		ProposedByAccountID string    `json:"proposed_by_account_id"`
		Status              string    `json:"status"`
		Terms               termsJSON `json:"terms"`
		CreatedAt           time.Time `json:"created_at"`
		RespondedAt         time.Time `json:"responded_at"`
	}
	partyJSON struct {
		OrgID      string `json:"org_id"`
		NameZH     string `json:"name_zh"`
		NameEN     string `json:"name_en"`
		CreditCode string `json:"credit_code"`
		Region     string `json:"region"`
	}
	contractJSON struct {
		DealID          string     `json:"deal_id"`
		OfferNumber     int        `json:"offer_number"`
		Subject         string     `json:"subject"`
		NameZH          string     `json:"name_zh"`
		NameEN          string     `json:"name_en"`
		Buyer           partyJSON  `json:"buyer"`
		Seller          partyJSON  `json:"seller"`
		Intermediary    *partyJSON `json:"intermediary,omitempty"`
		IntermediaryFee *feeJSON   `json:"intermediary_fee,omitempty"`
		Terms           termsJSON  `json:"terms"`
		Format          string     `json:"format,omitempty"` // empty: stored before formats were recorded, /1
		PlatformBPS     *int64     `json:"platform_bps,omitempty"`
		Document        string     `json:"document"`
		Hash            string     `json:"hash"`
		DraftedAt       time.Time  `json:"drafted_at"`
	}
	signatureJSON struct {
		Role      string    `json:"role"`
		OrgID     string    `json:"org_id"`
		AccountID string    `json:"account_id"`
		Hash      string    `json:"hash"`
		SignedAt  time.Time `json:"signed_at"`
	}
)

func toFeeJSON(f market.FeeTerms) feeJSON {
	return feeJSON{Basis: f.Basis, BPS: f.BPS, Fixed: f.Fixed, Currency: f.Currency, Payer: f.Payer}
}

func (f feeJSON) domain() market.FeeTerms {
	t := market.FeeTerms{Basis: f.Basis, BPS: f.BPS, Fixed: f.Fixed, Currency: f.Currency, Payer: f.Payer}
	if t.Basis == market.FeeBasisFixed && t.Currency == "" {
		// Fixed fees stored before fees carried a currency were typed in
		// CNY (the pages' only unit for them then).
		t.Currency = market.DefaultCurrency
	}
	return t
}

func toTermsJSON(t market.OfferTerms) termsJSON {
	j := termsJSON{ContractType: t.ContractType, Price: t.Price, Currency: t.Currency,
		NonTechnicalAmount: t.NonTechnicalAmount, RoyaltyBPS: t.RoyaltyBPS, Milestones: []milestoneTermsJSON{}}
	for _, m := range t.Milestones {
		j.Milestones = append(j.Milestones, milestoneTermsJSON{Title: m.Title, Deliverable: m.Deliverable, Amount: m.Amount, Due: m.Due.UTC()})
	}
	if l := t.Licence; l != nil {
		j.Licence = &licenceJSON{Exclusive: l.Exclusive, Territory: l.Territory, FieldOfUse: l.FieldOfUse, TermMonths: l.TermMonths}
	}
	j.Registration = toRegistrationTermsJSON(t.Registration)
	return j
}

func (j termsJSON) domain() market.OfferTerms {
	t := market.OfferTerms{ContractType: j.ContractType, Price: j.Price, Currency: j.Currency,
		NonTechnicalAmount: j.NonTechnicalAmount, RoyaltyBPS: j.RoyaltyBPS}
	for _, m := range j.Milestones {
		t.Milestones = append(t.Milestones, market.MilestoneTerms{Title: m.Title, Deliverable: m.Deliverable, Amount: m.Amount, Due: m.Due.UTC()})
	}
	if l := j.Licence; l != nil {
		t.Licence = &market.LicenceScope{Exclusive: l.Exclusive, Territory: l.Territory, FieldOfUse: l.FieldOfUse, TermMonths: l.TermMonths}
	}
	t.Registration = j.Registration.domain()
	return t
}

func toPartyJSON(p market.ContractParty) partyJSON {
	return partyJSON{OrgID: p.OrgID, NameZH: p.NameZH, NameEN: p.NameEN, CreditCode: p.CreditCode, Region: p.Region}
}

func (p partyJSON) domain() market.ContractParty {
	return market.ContractParty{OrgID: p.OrgID, NameZH: p.NameZH, NameEN: p.NameEN, CreditCode: p.CreditCode, Region: p.Region}
}

// marshalJSON encodes v, "null" for a nil pointer.
func marshalJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// toDealRow encodes d's nested parts.
func toDealRow(d *market.Deal) (dealRow, error) {
	var r dealRow
	var im *intermediaryJSON
	if x := d.Intermediary; x != nil {
		im = &intermediaryJSON{OrgID: x.OrgID, Fee: toFeeJSON(x.Fee), Status: x.Status, InvitedByRole: x.InvitedByRole,
			BuyerAgreed: x.BuyerAgreed, SellerAgreed: x.SellerAgreed}
	}
	var nda *ndaJSON
	if x := d.NDA; x != nil {
		nda = &ndaJSON{OwnerOrgID: x.OwnerOrgID, Version: x.Version, Text: x.Text, Hash: x.Hash, PublishedAt: x.PublishedAt.UTC()}
	}
	var acc *ndaAcceptanceJSON
	if x := d.NDAAcceptance; x != nil {
		acc = &ndaAcceptanceJSON{OrgID: x.OrgID, AccountID: x.AccountID, NDAVersion: x.NDAVersion, NDAHash: x.NDAHash, AcceptedAt: x.AcceptedAt.UTC()}
	}
	offers := []offerJSON{}
	for _, o := range d.Offers {
		offers = append(offers, offerJSON{Number: o.Number, ProposedByOrgID: o.ProposedByOrgID, ProposedByRole: o.ProposedByRole,
			ProposedByAccountID: o.ProposedByAccountID, Status: o.Status, Terms: toTermsJSON(o.Terms),
			CreatedAt: o.CreatedAt.UTC(), RespondedAt: o.RespondedAt.UTC()})
	}
	var c *contractJSON
	if x := d.Contract; x != nil {
		c = &contractJSON{DealID: x.DealID, OfferNumber: x.OfferNumber, Subject: x.Subject, NameZH: x.NameZH, NameEN: x.NameEN,
			Buyer: toPartyJSON(x.Buyer), Seller: toPartyJSON(x.Seller), Terms: toTermsJSON(x.Terms),
			Format: x.Format, PlatformBPS: x.PlatformBPS, Document: x.Document, Hash: x.Hash, DraftedAt: x.DraftedAt.UTC()}
		if x.Intermediary != nil {
			p := toPartyJSON(*x.Intermediary)
			c.Intermediary = &p
		}
		if x.IntermediaryFee != nil {
			f := toFeeJSON(*x.IntermediaryFee)
			c.IntermediaryFee = &f
		}
	}
	sigs := []signatureJSON{}
	for _, s := range d.Signatures {
		sigs = append(sigs, signatureJSON{Role: s.Role, OrgID: s.OrgID, AccountID: s.AccountID, Hash: s.Hash, SignedAt: s.SignedAt.UTC()})
	}
	for _, p := range []struct {
		dst *string
		v   any
	}{{&r.intermediary, im}, {&r.nda, nda}, {&r.ndaAcceptance, acc}, {&r.offers, offers}, {&r.contract, c}, {&r.signatures, sigs}} {
		s, err := marshalJSON(p.v)
		if err != nil {
			return r, err
		}
		*p.dst = s
	}
	return r, nil
}

// domain decodes the nested parts into d.
func (r dealRow) domain(d *market.Deal) error {
	var im *intermediaryJSON
	var nda *ndaJSON
	var acc *ndaAcceptanceJSON
	var offers []offerJSON
	var c *contractJSON
	var sigs []signatureJSON
	for _, p := range []struct {
		src string
		dst any
	}{{r.intermediary, &im}, {r.nda, &nda}, {r.ndaAcceptance, &acc}, {r.offers, &offers}, {r.contract, &c}, {r.signatures, &sigs}} {
		if err := json.Unmarshal([]byte(p.src), p.dst); err != nil {
			return fmt.Errorf("deal %s: decode %q: %w", d.ID, p.src, err)
		}
	}
	if im != nil {
		d.Intermediary = &market.Intermediary{OrgID: im.OrgID, Fee: im.Fee.domain(), Status: im.Status,
			InvitedByRole: im.InvitedByRole, BuyerAgreed: im.BuyerAgreed, SellerAgreed: im.SellerAgreed}
	}
	if nda != nil {
		d.NDA = &market.NDA{OwnerOrgID: nda.OwnerOrgID, Version: nda.Version, Text: nda.Text, Hash: nda.Hash, PublishedAt: nda.PublishedAt.UTC()}
	}
	if acc != nil {
		d.NDAAcceptance = &market.NDAAcceptance{OrgID: acc.OrgID, AccountID: acc.AccountID, NDAVersion: acc.NDAVersion,
			NDAHash: acc.NDAHash, AcceptedAt: acc.AcceptedAt.UTC()}
	}
	for _, o := range offers {
		d.Offers = append(d.Offers, market.Offer{Number: o.Number, ProposedByOrgID: o.ProposedByOrgID, ProposedByRole: o.ProposedByRole,
			ProposedByAccountID: o.ProposedByAccountID, Status: o.Status, Terms: o.Terms.domain(),
			CreatedAt: o.CreatedAt.UTC(), RespondedAt: o.RespondedAt.UTC()})
	}
	if c != nil {
		k := &market.Contract{DealID: c.DealID, OfferNumber: c.OfferNumber, Subject: c.Subject, NameZH: c.NameZH, NameEN: c.NameEN,
			Buyer: c.Buyer.domain(), Seller: c.Seller.domain(), Terms: c.Terms.domain(),
			Format: c.Format, PlatformBPS: c.PlatformBPS, Document: c.Document, Hash: c.Hash, DraftedAt: c.DraftedAt.UTC()}
		if k.Format == "" {
			k.Format = market.ContractFormat1
		}
		if c.Intermediary != nil {
			p := c.Intermediary.domain()
			k.Intermediary = &p
		}
		if c.IntermediaryFee != nil {
			f := c.IntermediaryFee.domain()
			k.IntermediaryFee = &f
		}
		d.Contract = k
	}
	for _, s := range sigs {
		d.Signatures = append(d.Signatures, market.Signature{Role: s.Role, OrgID: s.OrgID, AccountID: s.AccountID, Hash: s.Hash, SignedAt: s.SignedAt.UTC()})
	}
	return nil
}

func scanDeal(row scanner) (*market.Deal, error) {
	var d market.Deal
	var r dealRow
	var intermediaryOrg, ndaOrg string
	err := row.Scan(&d.ID, &d.Version, &d.State, &d.Source, &d.ListingID, &d.ScenarioID, &d.BuyerOrgID, &d.SellerOrgID,
		&intermediaryOrg, &d.OpenedByRole, &ndaOrg, &r.intermediary, &r.nda, &r.ndaAcceptance, &r.offers,
		&r.contract, &r.signatures, &d.CreatedAt, &d.UpdatedAt, &d.LastActivityAt, &r.signedAt, &r.closedAt, &d.CloseReason)
	if err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt, d.LastActivityAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC(), d.LastActivityAt.UTC()
	if r.signedAt.Valid {
		d.SignedAt = r.signedAt.Time.UTC()
	}
	if r.closedAt.Valid {
		d.ClosedAt = r.closedAt.Time.UTC()
	}
	return &d, r.domain(&d)
}

// zeroNull maps a zero time to NULL.
func zeroNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// dealIndexArgs are the columns derived from nested parts for queries.
func dealIndexArgs(d *market.Deal) (intermediaryOrg, ndaOrg string) {
	if d.Intermediary != nil && d.Intermediary.Status != market.IntermediaryRequested {
		intermediaryOrg = d.Intermediary.OrgID // a broker that only asked sees no deal in its lists
	}
	if d.NDA != nil && d.NDAAcceptance != nil && d.NDAAcceptance.Covers(*d.NDA) {
		ndaOrg = d.NDAAcceptance.OrgID
	}
	return intermediaryOrg, ndaOrg
}

// CreateDeal inserts a deal. The partial unique index deals_one_open refuses
// a second open deal of a buyer on a listing; the insert runs under a
// savepoint so that, on PostgreSQL too, the transaction survives the refusal
// long enough to name the deal that exists.
func (t *Tx) CreateDeal(d *market.Deal) error {
	r, err := toDealRow(d)
	if err != nil {
		return err
	}
	im, nda := dealIndexArgs(d)
	if _, err := t.exec(`SAVEPOINT create_deal`); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO deals (`+dealColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		d.ID, d.Version, d.State, d.Source, d.ListingID, d.ScenarioID, d.BuyerOrgID, d.SellerOrgID, im, d.OpenedByRole, nda,
		r.intermediary, r.nda, r.ndaAcceptance, r.offers, r.contract, r.signatures,
		d.CreatedAt.UTC(), d.UpdatedAt.UTC(), d.LastActivityAt.UTC(), zeroNull(d.SignedAt), zeroNull(d.ClosedAt), d.CloseReason)
	if market.ErrorCode(err) != market.ECONFLICT {
		if err != nil {
			return err
		}
		_, err = t.exec(`RELEASE SAVEPOINT create_deal`)
		return err
	}
	if _, err := t.exec(`ROLLBACK TO SAVEPOINT create_deal`); err != nil {
		return err
	}
	var existing string
	err = t.queryRow(`SELECT id FROM deals WHERE buyer_org_id = $1 AND source = $2 AND listing_id = $3
		AND state NOT IN (`+closedStatesSQL()+`)`, d.BuyerOrgID, d.Source, d.ListingID).Scan(&existing)
	if err != nil {
		return notFound(err, "open deal")
	}
	return market.ErrOpenDealExists(existing)
}

// closedStatesSQL is market.DealClosedStates as an SQL list of literals
// (fixed identifiers, never input).
func closedStatesSQL() string {
	return quotedList(market.DealClosedStates)
}

func quotedList(xs []string) string {
	q := make([]string, len(xs))
	for i, s := range xs {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// DealByID loads a deal.
func (t *Tx) DealByID(id string) (*market.Deal, error) {
	d, err := scanDeal(t.keyRow(`SELECT `+dealColumns+` FROM deals WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "deal")
	}
	return d, nil
}

// UpdateDeal writes d when the stored version is d.Version-1. Under
// PostgreSQL's READ COMMITTED a concurrent writer's UPDATE waits for the
// first to commit, then finds the version moved on and matches no row.
func (t *Tx) UpdateDeal(d *market.Deal) error {
	r, err := toDealRow(d)
	if err != nil {
		return err
	}
	im, nda := dealIndexArgs(d)
	res, err := t.exec(`UPDATE deals SET version = $1, state = $2, intermediary_org_id = $3, nda_accepted_org_id = $4,
		intermediary = $5, nda = $6, nda_acceptance = $7, offers = $8, contract = $9, signatures = $10,
		updated_at = $11, last_activity_at = $12, signed_at = $13, closed_at = $14, close_reason = $15
		WHERE id = $16 AND version = $17`,
		d.Version, d.State, im, nda, r.intermediary, r.nda, r.ndaAcceptance, r.offers, r.contract, r.signatures,
		d.UpdatedAt.UTC(), d.LastActivityAt.UTC(), zeroNull(d.SignedAt), zeroNull(d.ClosedAt), d.CloseReason,
		d.ID, d.Version-1)
	if err != nil {
		return err
	}
	return t.expectOne(res, "deals", d.ID, "deal")
}

// ListDeals lists deals newest first.
func (t *Tx) ListDeals(f market.DealFilter) ([]market.Deal, error) {
	w := &where{}
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return nil, nil
		}
		var parts []string
		cols := map[string][]string{
			market.DealRoleBuyer: {"buyer_org_id"}, market.DealRoleSeller: {"seller_org_id"},
			market.DealRoleIntermediary: {"intermediary_org_id"},
			"":                          {"buyer_org_id", "seller_org_id", "intermediary_org_id"}}[f.Role]
		if cols == nil {
			return nil, market.Invalid("role", msgs.BuyerSellerOrIntermediary)
		}
		var args []any
		for _, col := range cols {
			marks := make([]string, len(f.OrgIDs))
			for i, id := range f.OrgIDs {
				marks[i] = "?"
				args = append(args, id)
			}
			part := col + " IN (" + strings.Join(marks, ", ") + ")"
			if col == "intermediary_org_id" { // lets SQLite use the partial index deals_intermediary
				part = "(" + part + " AND intermediary_org_id <> '')"
			}
			parts = append(parts, part)
		}
		w.add("("+strings.Join(parts, " OR ")+")", args...)
	}
	if f.State != "" {
		w.add("state = ?", f.State)
	}
	if f.After != "" {
		w.add("id < ?", f.After)
	}
	limit := w.next(market.ClampLimit(f.Limit))
	rows, err := t.query(`SELECT `+dealColumns+` FROM deals`+w.sql()+` ORDER BY id DESC LIMIT `+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Deal
	for rows.Next() {
		d, err := scanDeal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// IdleDealIDs returns deals the sweeper may expire, oldest activity first.
func (t *Tx) IdleDealIDs(before time.Time, limit int) ([]string, error) {
	w := &where{}
	w.in("state", market.DealExpirableStates)
	w.add("last_activity_at < ?", before.UTC())
	lim := w.next(limit)
	rows, err := t.query(`SELECT id FROM deals`+w.sql()+` ORDER BY last_activity_at, id LIMIT `+lim, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AddDealMessage appends a message to a deal's thread.
func (t *Tx) AddDealMessage(m *market.DealMessage) error {
	_, err := t.exec(`INSERT INTO deal_messages (id, deal_id, author_org_id, author_role, author_account_id, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.DealID, m.AuthorOrgID, m.AuthorRole, m.AuthorAccountID, m.Body, m.CreatedAt.UTC())
	return err
}

// DealMessages returns the thread in order (ids are UUIDv7, so time order).
func (t *Tx) DealMessages(dealID string, limit int) ([]market.DealMessage, error) {
	rows, err := t.query(`SELECT id, deal_id, author_org_id, author_role, author_account_id, body, created_at
		FROM deal_messages WHERE deal_id = $1 ORDER BY id LIMIT $2`, dealID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.DealMessage
	for rows.Next() {
		var m market.DealMessage
		if err := rows.Scan(&m.ID, &m.DealID, &m.AuthorOrgID, &m.AuthorRole, &m.AuthorAccountID, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// CreateNDA stores an NDA version.
func (t *Tx) CreateNDA(n *market.NDA) error {
	_, err := t.exec(`INSERT INTO ndas (org_id, version, text, hash, published_at) VALUES ($1, $2, $3, $4, $5)`,
		n.OwnerOrgID, n.Version, n.Text, n.Hash, n.PublishedAt.UTC())
	return err
}

// CurrentNDA returns the newest version of an organisation's NDA.
func (t *Tx) CurrentNDA(orgID string) (*market.NDA, error) {
	var n market.NDA
	err := t.queryRow(`SELECT org_id, version, text, hash, published_at FROM ndas WHERE org_id = $1
		ORDER BY version DESC LIMIT 1`, orgID).Scan(&n.OwnerOrgID, &n.Version, &n.Text, &n.Hash, &n.PublishedAt)
	if err != nil {
		return nil, notFound(err, "NDA")
	}
	n.PublishedAt = n.PublishedAt.UTC()
	return &n, nil
}

// NDAAcceptedForOutcome reports whether one of orgIDs accepted the NDA of
// its deal on the outcome; the listings read path asks it before lifting
// confidentiality.
func (t *Tx) NDAAcceptedForOutcome(outcomeID string, orgIDs []string) (bool, error) {
	if len(orgIDs) == 0 {
		return false, nil
	}
	w := &where{}
	w.add("source = ?", market.DealFromOutcome)
	w.add("listing_id = ?", outcomeID)
	w.in("nda_accepted_org_id", orgIDs)
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM deals`+w.sql(), w.args...).Scan(&n); err != nil {
		return false, mapErr(err)
	}
	return n > 0, nil
}

// DealCounts counts an organisation's signed and completed deals; as a
// broker only where it was active (the parties agreed to it), not merely
// invited or asking when the contract was signed.
func (t *Tx) DealCounts(orgID string) (*market.TrackRecord, error) {
	rows, err := t.query(`SELECT `+dealColumns+` FROM deals
		WHERE signed_at IS NOT NULL AND (buyer_org_id = $1 OR seller_org_id = $2 OR intermediary_org_id = $3)`,
		orgID, orgID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tr market.TrackRecord
	for rows.Next() {
		d, err := scanDeal(rows)
		if err != nil {
			return nil, err
		}
		done := d.State == market.DealCompleted
		switch {
		case d.BuyerOrgID == orgID || d.SellerOrgID == orgID:
			tr.DealsSigned++
			if done {
				tr.DealsCompleted++
			}
		case d.Intermediary != nil && d.Intermediary.OrgID == orgID && d.Intermediary.Active():
			tr.BrokeredSigned++
			if done {
				tr.BrokeredCompleted++
			}
		}
	}
	return &tr, rows.Err()
}
