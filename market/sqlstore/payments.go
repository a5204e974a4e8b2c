package sqlstore

import (
	"strconv"
	"strings"
	"techbridge/market/msgs"

	"techbridge/market"
)

// CreatePaymentDeal stores a deal's payment set-up.
func (t *Tx) CreatePaymentDeal(p market.PaymentDeal) error {
	_, err := t.exec(`INSERT INTO payment_deals (deal_id, buyer_org_id, seller_org_id, intermediary_org_id, currency, provider, platform_bps, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.DealID, p.BuyerOrgID, p.SellerOrgID, p.IntermediaryOrgID,
		p.Currency, p.Provider, p.PlatformBPS, p.CreatedAt.UTC())
	return err
}

const paymentDealColumns = `deal_id, buyer_org_id, seller_org_id, intermediary_org_id, currency, provider, platform_bps, created_at`

func scanPaymentDeal(s scanner) (market.PaymentDeal, error) {
	var p market.PaymentDeal
	err := s.Scan(&p.DealID, &p.BuyerOrgID, &p.SellerOrgID, &p.IntermediaryOrgID, &p.Currency, &p.Provider, &p.PlatformBPS, &p.CreatedAt)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

// PaymentDeal returns a deal's payment set-up.
func (t *Tx) PaymentDeal(dealID string) (*market.PaymentDeal, error) {
	p, err := scanPaymentDeal(t.keyRow(`SELECT `+paymentDealColumns+` FROM payment_deals WHERE deal_id = $1`, dealID))
	if err != nil {
		return nil, notFound(err, "payment set-up of deal "+dealID)
	}
	return &p, nil
}

// PaymentDealsOf lists the deals an organisation is a party to.
func (t *Tx) PaymentDealsOf(orgID string) ([]market.PaymentDeal, error) {
	rows, err := t.query(`SELECT `+paymentDealColumns+` FROM payment_deals
		WHERE buyer_org_id = $1 OR seller_org_id = $1 OR intermediary_org_id = $1 ORDER BY deal_id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.PaymentDeal
	for rows.Next() {
		p, err := scanPaymentDeal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const paymentOpColumns = `id, kind, provider, state, deal_id, milestone_id, org_id, amount, currency, idempotency_key,
	external_ref, client_secret, provider_refunded, note, created_by, created_at, updated_at, version`

func scanPaymentOp(s scanner) (market.PaymentOp, error) {
	var o market.PaymentOp
	err := s.Scan(&o.ID, &o.Kind, &o.Provider, &o.State, &o.DealID, &o.MilestoneID, &o.OrgID, &o.Amount, &o.Currency,
		&o.IdempotencyKey, &o.ExternalRef, &o.ClientSecret, &o.ProviderRefunded, &o.Note, &o.CreatedBy,
		&o.CreatedAt, &o.UpdatedAt, &o.Version)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// CreatePaymentOp inserts op; ECONFLICT when its idempotency key is taken.
func (t *Tx) CreatePaymentOp(o *market.PaymentOp) error {
	_, err := t.exec(`INSERT INTO payment_operations (`+paymentOpColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		o.ID, o.Kind, o.Provider, o.State, o.DealID, o.MilestoneID, o.OrgID, o.Amount, o.Currency, o.IdempotencyKey,
		o.ExternalRef, o.ClientSecret, o.ProviderRefunded, o.Note, o.CreatedBy, o.CreatedAt.UTC(), o.UpdatedAt.UTC(), o.Version)
	return err
}

func (t *Tx) paymentOpWhere(cond string, args ...any) (*market.PaymentOp, error) {
	o, err := scanPaymentOp(t.queryRow(`SELECT `+paymentOpColumns+` FROM payment_operations WHERE `+cond+` ORDER BY created_at DESC, id DESC LIMIT 1`, args...))
	if err != nil {
		return nil, notFound(err, "payment operation")
	}
	return &o, nil
}

// PaymentOpByID returns one operation.
func (t *Tx) PaymentOpByID(id string) (*market.PaymentOp, error) {
	return t.paymentOpWhere(`id = $1`, id)
}

// PaymentOpByKey returns the operation with an idempotency key.
func (t *Tx) PaymentOpByKey(key string) (*market.PaymentOp, error) {
	return t.paymentOpWhere(`idempotency_key = $1`, key)
}

// PaymentOpByExternal returns the newest operation with a provider reference.
func (t *Tx) PaymentOpByExternal(provider, ref string) (*market.PaymentOp, error) {
	if ref == "" {
		return nil, market.Errorf(market.ENOTFOUND, msgs.PaymentOpNotFound)
	}
	return t.paymentOpWhere(`provider = $1 AND external_ref = $2`, provider, ref)
}

// UpdatePaymentOp writes op when the stored version is op.Version-1.
func (t *Tx) UpdatePaymentOp(o *market.PaymentOp) error {
	res, err := t.exec(`UPDATE payment_operations SET state = $1, external_ref = $2, client_secret = $3, provider_refunded = $4,
		note = $5, amount = $6, updated_at = $7, version = $8 WHERE id = $9 AND version = $10`,
		o.State, o.ExternalRef, o.ClientSecret, o.ProviderRefunded, o.Note, o.Amount, o.UpdatedAt.UTC(), o.Version, o.ID, o.Version-1)
	if err != nil {
		return err
	}
	return t.expectOne(res, "payment_operations", o.ID, "payment operation")
}

// ListPaymentOps lists operations, newest first.
func (t *Tx) ListPaymentOps(f market.PaymentOpFilter) ([]market.PaymentOp, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(f.Kinds) > 0 {
		var ps []string
		for _, k := range f.Kinds {
			ps = append(ps, arg(k))
		}
		where = append(where, "kind IN ("+strings.Join(ps, ", ")+")")
	}
	if f.State != "" {
		where = append(where, "state = "+arg(f.State))
	}
	if f.MilestoneID != "" {
		where = append(where, "milestone_id = "+arg(f.MilestoneID))
	}
	if f.OrgID != "" {
		where = append(where, "org_id = "+arg(f.OrgID))
	}
	q := `SELECT ` + paymentOpColumns + ` FROM payment_operations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.PaymentOp
	for rows.Next() {
		o, err := scanPaymentOp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// PutPaymentAccount inserts or replaces an organisation's provider account.
func (t *Tx) PutPaymentAccount(a market.PaymentAccount) error {
	_, err := t.exec(`INSERT INTO payment_accounts (org_id, provider, external_id, charges_enabled, payouts_enabled, details_submitted, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (org_id, provider) DO UPDATE SET external_id = excluded.external_id, charges_enabled = excluded.charges_enabled,
		payouts_enabled = excluded.payouts_enabled, details_submitted = excluded.details_submitted, updated_at = excluded.updated_at`,
		a.OrgID, a.Provider, a.ExternalID, a.ChargesEnabled, a.PayoutsEnabled, a.DetailsSubmitted, a.UpdatedAt.UTC())
	return err
}

const paymentAccountColumns = `org_id, provider, external_id, charges_enabled, payouts_enabled, details_submitted, updated_at`

func (t *Tx) paymentAccountWhere(cond string, args ...any) (*market.PaymentAccount, error) {
	var a market.PaymentAccount
	err := t.queryRow(`SELECT `+paymentAccountColumns+` FROM payment_accounts WHERE `+cond, args...).Scan(
		&a.OrgID, &a.Provider, &a.ExternalID, &a.ChargesEnabled, &a.PayoutsEnabled, &a.DetailsSubmitted, &a.UpdatedAt)
	if err != nil {
		return nil, notFound(err, "payment account")
	}
	a.UpdatedAt = a.UpdatedAt.UTC()
	return &a, nil
}

// PaymentAccount returns an organisation's account at a provider.
func (t *Tx) PaymentAccount(orgID, provider string) (*market.PaymentAccount, error) {
	return t.paymentAccountWhere(`org_id = $1 AND provider = $2`, orgID, provider)
}

// PaymentAccountByExternal finds an account by the provider's id.
func (t *Tx) PaymentAccountByExternal(externalID string) (*market.PaymentAccount, error) {
	return t.paymentAccountWhere(`external_id = $1`, externalID)
}
