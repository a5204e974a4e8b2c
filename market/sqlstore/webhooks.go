package sqlstore

import "techbridge/market"

// RecordWebhookEvent stores an event id once; the primary key makes a
// second delivery ECONFLICT, and on PostgreSQL a concurrent one wait for
// the first to commit before it finds the key taken.
func (t *Tx) RecordWebhookEvent(e market.WebhookEvent) error {
	_, err := t.exec(`INSERT INTO webhook_events (provider, id, type, created, received_at, outcome) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.Provider, e.ID, e.Type, e.Created.UTC(), e.ReceivedAt.UTC(), e.Outcome)
	return err
}

// SetWebhookOutcome records what a stored event did.
func (t *Tx) SetWebhookOutcome(provider, id, outcome string) error {
	_, err := t.exec(`UPDATE webhook_events SET outcome = $1 WHERE provider = $2 AND id = $3`, outcome, provider, id)
	return err
}

// WebhookEventByID returns a stored event.
func (t *Tx) WebhookEventByID(provider, id string) (*market.WebhookEvent, error) {
	var e market.WebhookEvent
	err := t.queryRow(`SELECT provider, id, type, created, received_at, outcome FROM webhook_events WHERE provider = $1 AND id = $2`,
		provider, id).Scan(&e.Provider, &e.ID, &e.Type, &e.Created, &e.ReceivedAt, &e.Outcome)
	if err != nil {
		return nil, notFound(err, "webhook event")
	}
	e.Created, e.ReceivedAt = e.Created.UTC(), e.ReceivedAt.UTC()
	return &e, nil
}
