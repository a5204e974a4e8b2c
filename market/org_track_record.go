package market

import "context"

// TrackRecord is what anyone may know of an organisation's deals: counts
// only, never which deals, with whom or for how much.
type TrackRecord struct {
	// As buyer or seller: deals both parties signed (whatever happened
	// after), and of those the ones completed.
	DealsSigned    int
	DealsCompleted int
	// As the intermediary the parties took on, the same two counts.
	BrokeredSigned    int
	BrokeredCompleted int
}

// TrackRecord returns the public deal counts of organisation orgID; an
// unknown organisation is ENOTFOUND.
func (s *Service) TrackRecord(ctx context.Context, orgID string) (*TrackRecord, error) {
	var tr *TrackRecord
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		tr, err = tx.DealCounts(orgID)
		return err
	})
	return tr, err
}

// Broker is a verified intermediary organisation with its track record,
// one entry of the broker directory.
type Broker struct {
	Organization
	TrackRecord TrackRecord
}

// Brokers is the broker directory: verified intermediary organisations in
// the order of Organizations (after is its cursor), each with its public
// track record.
func (s *Service) Brokers(ctx context.Context, actor Actor, after string, limit int) ([]Broker, error) {
	orgs, err := s.Organizations(ctx, actor, OrgFilter{Kind: OrgIntermediary, Verification: VerificationVerified, After: after, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]Broker, len(orgs))
	err = s.Store.View(ctx, func(tx Tx) error {
		for i := range orgs {
			tr, err := tx.DealCounts(orgs[i].ID)
			if err != nil {
				return err
			}
			out[i] = Broker{Organization: orgs[i], TrackRecord: *tr}
		}
		return nil
	})
	return out, err
}
