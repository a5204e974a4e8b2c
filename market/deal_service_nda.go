package market

import (
	"context"
	"techbridge/market/msgs"
)

// EventNDAPublished is appended when an organisation publishes an NDA version.
const EventNDAPublished = "organization.nda_published"

// PublishNDA stores text as the next version of the organisation's NDA, for
// its owners and admins. Deals opened before keep the version they carry.
func (s *Service) PublishNDA(ctx context.Context, actor Actor, orgID, text string) (*NDA, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var out NDA
	err := s.Store.Update(ctx, func(tx Tx) error {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersPublishNDA)
		}
		version := 1
		cur, err := tx.CurrentNDA(orgID)
		if err == nil {
			version = cur.Version + 1
		} else if !isNotFound(err) {
			return err
		}
		if out, err = NewNDA(orgID, version, text, now); err != nil {
			return err
		}
		if cur != nil && cur.Hash == out.Hash {
			out = *cur // the same text again is no new version
			return nil
		}
		if err := tx.CreateNDA(&out); err != nil {
			return err
		}
		e := NewEvent(EventNDAPublished, actor.AccountID, "organization", orgID,
			map[string]any{"version": out.Version, "hash": out.Hash}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CurrentNDA returns an organisation's current NDA; anyone may read it,
// since a buyer reads it before deciding to inquire.
func (s *Service) CurrentNDA(ctx context.Context, orgID string) (*NDA, error) {
	var n *NDA
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		n, err = tx.CurrentNDA(orgID)
		return err
	})
	return n, err
}
