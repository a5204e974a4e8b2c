package market

import (
	"context"
	"techbridge/market/msgs"
)

// Outcome event types beyond the life cycle's (outcome.<status> and the
// named ones in listingEventType).
const (
	EventOutcomeCreated = "outcome.created"
	EventOutcomeUpdated = "outcome.updated"
)

// CreateOutcome creates a draft outcome for orgID, which the actor must
// belong to. Universities and institutes may list outcomes, and so may any
// verified organisation.
func (s *Service) CreateOutcome(ctx context.Context, actor Actor, orgID string, in OutcomeInput) (*Outcome, error) {
	now := s.now()
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, now)
	var o *Outcome
	err := s.Store.Update(ctx, func(tx Tx) error {
		org, err := orgForListing(tx, actor, orgID)
		if err != nil {
			return err
		}
		if !org.Supplies() && org.Verification != VerificationVerified {
			return Errorf(EFORBIDDEN, msgs.OnlyUniversitiesInstitutesAndVerifiedOrganisations)
		}
		if err := f.Err(); err != nil {
			return err
		}
		o = &Outcome{ID: NewID(), OrgID: org.ID, Status: ListingDraft, CreatedBy: actor.AccountID,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		in.apply(o, now)
		if err := tx.CreateOutcome(o); err != nil {
			return externalIDConflict(err)
		}
		e := NewEvent(EventOutcomeCreated, actor.AccountID, OutcomeObjectType, o.ID,
			ListingEvent{OrgID: o.OrgID, Status: o.Status, Version: o.Version}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// externalIDConflict names the field of a duplicate reference.
func externalIDConflict(err error) error {
	if ErrorCode(err) == ECONFLICT {
		return Refusal(ECONFLICT, msgs.ExternalIDTaken, "external_id", msgs.ExternalIDUsed)
	}
	return err
}

// UpdateOutcome replaces the owner-editable content of a draft outcome.
// version is the version the caller read; a stale one is ECONFLICT.
func (s *Service) UpdateOutcome(ctx context.Context, actor Actor, id string, version int64, in OutcomeInput) (*Outcome, error) {
	now := s.now()
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, now)
	var o *Outcome
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = s.outcomeFor(tx, actor, id); err != nil {
			return err
		}
		if !actor.MemberOf(o.OrgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, msgs.OnlyOwningOrganisationEditsOutcomes)
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := checkVersion("the outcome", o.Version, version); err != nil {
			return err
		}
		if o.Status != ListingDraft {
			return Errorf(ECONFLICT, msgs.OnlyDraftsCanEditedThisOutcome, msgs.Term{Kind: "listing.status", Value: o.Status})
		}
		if !in.apply(o, now) {
			return nil
		}
		o.UpdatedAt = now
		o.Version++
		if err := tx.UpdateOutcome(o); err != nil {
			return externalIDConflict(err)
		}
		e := NewEvent(EventOutcomeUpdated, actor.AccountID, OutcomeObjectType, o.ID,
			ListingEvent{OrgID: o.OrgID, Status: o.Status, Version: o.Version}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// outcomeFor loads an outcome the actor may see at all: published ones for
// everyone, the rest for the owner and reviewers; ENOTFOUND otherwise, so
// drafts do not leak their existence.
func (s *Service) outcomeFor(tx Tx, actor Actor, id string) (*Outcome, error) {
	o, err := tx.OutcomeByID(id)
	if err != nil {
		return nil, err
	}
	if o.Status != ListingPublished && !actor.MemberOf(o.OrgID) && !actor.IsReviewer() {
		return nil, Errorf(ENOTFOUND, msgs.OutcomeNotFound)
	}
	return o, nil
}

// Outcome returns an outcome as the actor may see it: confidential details
// only for the owner, reviewers and organisations that accepted its NDA in
// a deal; everyone else gets the teaser.
func (s *Service) Outcome(ctx context.Context, actor Actor, id string) (*Outcome, error) {
	var o *Outcome
	// One statement unless an NDA lookup follows, which needs no common snapshot.
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		if o, err = s.outcomeFor(tx, actor, id); err != nil {
			return err
		}
		full, err := seesConfidential(tx, actor, o)
		if err == nil && !full {
			*o = o.Teaser()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// seesConfidential reports whether the actor may read o's details.
func seesConfidential(tx Tx, actor Actor, o *Outcome) (bool, error) {
	if !o.Confidential() || actor.MemberOf(o.OrgID) || actor.IsReviewer() {
		return true, nil
	}
	if l, ok := tx.(ndaLookup); ok && !actor.Anonymous() {
		return l.NDAAcceptedForOutcome(o.ID, actor.OrgIDs())
	}
	return false, nil
}

// Outcomes lists outcomes newest first. Anonymous callers and other
// organisations see published outcomes (teasers of confidential ones);
// members listing their own organisation (f.OrgID) and reviewers see every
// status.
func (s *Service) Outcomes(ctx context.Context, actor Actor, f OutcomeFilter) (Page[Outcome], error) {
	var page Page[Outcome]
	var err error
	if f.Status, err = visibleStatuses(actor, f.OrgID, f.Status); err != nil {
		return page, err
	}
	if err := validateRangeFilter(f.TRLMin, f.TRLMax, f.PriceMin, f.PriceMax, "price", f.Field); err != nil {
		return page, err
	}
	f.Limit = ClampLimit(f.Limit)
	err = s.Store.Read(ctx, func(tx Tx) error {
		if page, err = tx.ListOutcomes(f); err != nil {
			return err
		}
		items := page.Items
		for i := range items {
			if !items[i].Confidential() || actor.MemberOf(items[i].OrgID) || actor.IsReviewer() {
				continue
			}
			items[i] = items[i].Teaser() // lists never lift confidentiality; the detail page does
		}
		return nil
	})
	return page, err
}

// validateRangeFilter checks list filters shared by outcomes and scenarios.
func validateRangeFilter(trlMin, trlMax int, min, max int64, money, field string) error {
	var f Fields
	if trlMin < 0 || trlMin > 9 {
		f.Add("trl_min", msgs.OneToNine)
	}
	if trlMax < 0 || trlMax > 9 {
		f.Add("trl_max", msgs.OneToNine)
	}
	if trlMin > 0 && trlMax > 0 && trlMin > trlMax {
		f.Add("trl_min", msgs.NotExceedTrlMax)
	}
	if min < 0 {
		f.Add(money+"_min", msgs.NotNegative)
	}
	if max < 0 {
		f.Add(money+"_max", msgs.NotNegative)
	}
	if min > 0 && max > 0 && min > max && money == "budget" {
		f.Add(money+"_min", msgs.NotExceedBudgetMax)
	} else if min > 0 && max > 0 && min > max {
		f.Add(money+"_min", msgs.NotExceedPriceMax)
	}
	if field != "" && !ValidField(field) {
		f.Add("field", msgs.UnknownFieldCodeX, field)
	}
	return f.Err()
}

// TransitionOutcome takes a life-cycle action on an outcome (see
// NextListingStatus for who may take which). version is the version the
// caller read; a stale one is ECONFLICT.
func (s *Service) TransitionOutcome(ctx context.Context, actor Actor, id string, version int64, action ListingAction, reason string) (*Outcome, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if action == AwardListing {
		return nil, Invalid("action", msgs.UnknownActionXForOutcome, action)
	}
	if len([]rune(reason)) > MaxReason {
		return nil, Invalid("reason", msgs.AtMostNChars, MaxReason)
	}
	now := s.now()
	var out Outcome
	err := s.Store.Update(ctx, func(tx Tx) error {
		o, err := s.outcomeFor(tx, actor, id)
		if err != nil {
			return err
		}
		next, e, err := ApplyOutcome(*o, ListingRolesOf(actor, o.OrgID), actor.AccountID, action, reason, now)
		if err != nil {
			return err
		}
		// Versions are compared after the rules, so a stranger learns nothing from a 409.
		if err := checkVersion("the outcome", o.Version, version); err != nil {
			return err
		}
		if err := publishableBy(tx, next.Status, o.OrgID); err != nil {
			return err
		}
		if err := tx.UpdateOutcome(&next); err != nil {
			return err
		}
		out = next
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// OutcomeHistory returns an outcome's events, for its owner and reviewers.
func (s *Service) OutcomeHistory(ctx context.Context, actor Actor, id string) ([]Event, error) {
	var out []Event
	err := s.Store.View(ctx, func(tx Tx) error {
		o, err := s.outcomeFor(tx, actor, id)
		if err != nil {
			return err
		}
		out, err = listingHistory(tx, actor, OutcomeObjectType, o.ID, o.OrgID)
		return err
	})
	return out, err
}
