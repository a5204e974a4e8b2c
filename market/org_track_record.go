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
