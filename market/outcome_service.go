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

// outcomes is the outcome kind: supply-side listings, which universities,
// institutes and verified organisations list, confidential ones shown as
// teasers until an NDA.
var outcomes = &listingKind[Outcome, *Outcome, OutcomeFilter, *OutcomeInput]{
	objectType: OutcomeObjectType, plural: "outcomes", public: []string{ListingPublished},
	created: EventOutcomeCreated, updated: EventOutcomeUpdated,
	awardRefusal: msgs.AwardOutcome,
	mayOwn: func(org *Organization) error {
		if !org.Supplies() && org.Verification != VerificationVerified {
			return Errorf(EFORBIDDEN, msgs.OnlyUniversitiesInstitutesAndVerifiedOrganisations)
		}
		return nil
	},
	filter: func(f *OutcomeFilter) (string, *string, *int) { return f.OrgID, &f.Status, &f.Limit },
	check: func(f OutcomeFilter) error {
		if err := checkSort(f.Sort, OutcomeSorts, f.After, f.Offset); err != nil {
			return err
		}
		return validateRangeFilter(f.TRLMin, f.TRLMax, f.PriceMin, f.PriceMax, "price", f.Field)
	},
	redact: func(tx Tx, actor Actor, o *Outcome) error {
		full, err := seesConfidential(tx, actor, o)
		if err == nil && !full {
			*o = o.Teaser()
		}
		return err
	},
	redactList: func(actor Actor, o *Outcome) {
		if o.Confidential() && !actor.MemberOf(o.OrgID) && !actor.IsReviewer() {
			*o = o.Teaser() // lists never lift confidentiality; the detail page does
		}
	},
	writeErr: externalIDConflict,
	apply:    ApplyOutcome,
	byID:     Tx.OutcomeByID, insert: Tx.CreateOutcome, update: Tx.UpdateOutcome, list: Tx.ListOutcomes,
}

// CreateOutcome creates a draft outcome for orgID, which the actor must
// belong to. Universities and institutes may list outcomes, and so may any
// verified organisation.
func (s *Service) CreateOutcome(ctx context.Context, actor Actor, orgID string, in OutcomeInput) (*Outcome, error) {
	return outcomes.create(ctx, s, actor, orgID, &in)
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
	return outcomes.edit(ctx, s, actor, id, version, &in)
}

// Outcome returns an outcome as the actor may see it: confidential details
// only for the owner, reviewers and organisations that accepted its NDA in
// a deal; everyone else gets the teaser.
func (s *Service) Outcome(ctx context.Context, actor Actor, id string) (*Outcome, error) {
	return outcomes.get(ctx, s, actor, id)
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
	return outcomes.page(ctx, s, actor, f)
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
	return outcomes.transition(ctx, s, actor, id, version, action, reason)
}

// OutcomeHistory returns an outcome's events, for its owner and reviewers.
func (s *Service) OutcomeHistory(ctx context.Context, actor Actor, id string) ([]Event, error) {
	return outcomes.history(ctx, s, actor, id)
}
