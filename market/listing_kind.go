package market

import (
	"context"
	"techbridge/market/msgs"
	"time"
)

// listingPtr is a pointer to a listing kind (*Outcome, *Scenario): it
// reaches the shared ListingMeta.
type listingPtr[T any] interface {
	*T
	Meta() *ListingMeta
}

// listingInput is what an owner writes on a listing of kind T (a pointer
// to OutcomeInput or ScenarioInput).
type listingInput[T any] interface {
	// Normalize trims and canonicalises the input, recording what cannot be.
	Normalize(f *Fields)
	// Validate names every wrong field of a normalised input at now.
	Validate(f *Fields, now time.Time)
	// apply writes the input onto a listing, reporting whether it changed.
	apply(x *T, now time.Time) bool
}

// listingKind describes one listing kind to the rules written once for
// every kind: creation, editing, visibility, life cycle, history and lists.
// T is the listing, F its list filter, I its input.
type listingKind[T any, P listingPtr[T], F any, I listingInput[T]] struct {
	objectType string   // OutcomeObjectType, ScenarioObjectType
	plural     string   // "outcomes", for messages
	public     []string // the statuses everyone may see
	// created and updated are the event types of a new draft and a saved one.
	created, updated string
	awardRefusal     msgs.Code // why "award" is not an action callers may take on this kind

	// mayOwn refuses organisations that may not list this kind.
	mayOwn func(*Organization) error
	// filter reaches the owner, status and limit of a filter; check checks
	// the kind's own filters.
	filter func(*F) (orgID string, status *string, limit *int)
	check  func(F) error
	// redact hides from the actor what a detail answer must not show (nil: nothing).
	redact func(tx Tx, actor Actor, x *T) error
	// redactList hides what a list answer must not show (nil: nothing).
	redactList func(actor Actor, x *T)
	// writeErr names the field behind a store refusal of a write (nil: as is).
	writeErr func(error) error
	apply    func(x T, by ListingRoles, actorID string, action ListingAction, reason string, now time.Time) (T, Event, error)

	byID   func(Tx, string) (*T, error)
	insert func(Tx, *T) error
	update func(Tx, *T) error
	list   func(Tx, F) (Page[T], error)
}

// checked normalises in and names every wrong field.
func checked[T any](in listingInput[T], now time.Time) Fields {
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, now)
	return f
}

// noun is the kind in the singular ("outcome").
func (k *listingKind[T, P, F, I]) noun() string { return k.objectType }

func (k *listingKind[T, P, F, I]) storeErr(err error) error {
	if err != nil && k.writeErr != nil {
		return k.writeErr(err)
	}
	return err
}

// load returns a listing the actor may see at all: the kind's public
// statuses for everyone, the rest for the owner and reviewers; ENOTFOUND
// otherwise, so drafts do not leak their existence.
func (k *listingKind[T, P, F, I]) load(tx Tx, actor Actor, id string) (*T, error) {
	x, err := k.byID(tx, id)
	if err != nil {
		return nil, err
	}
	m := P(x).Meta()
	if !oneOf(m.Status, k.public) && !actor.MemberOf(m.OrgID) && !actor.IsReviewer() {
		return nil, Errorf(ENOTFOUND, msgs.NotFoundWhat, k.noun())
	}
	return x, nil
}

// create makes a draft for orgID, which the actor must belong to and the
// kind must allow.
func (k *listingKind[T, P, F, I]) create(ctx context.Context, s *Service, actor Actor, orgID string, in I) (*T, error) {
	now := s.now()
	f := checked(in, now)
	var x *T
	err := s.Store.Update(ctx, func(tx Tx) error {
		org, err := orgForListing(tx, actor, orgID)
		if err != nil {
			return err
		}
		if err := k.mayOwn(org); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		x = new(T)
		m := P(x).Meta()
		*m = newListingMeta(org.ID, actor.AccountID, now)
		in.apply(x, now)
		if err := k.storeErr(k.insert(tx, x)); err != nil {
			return err
		}
		e := m.event(k.created, k.objectType, actor.AccountID, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// edit replaces the owner-editable content of a draft. version is the
// version the caller read; a stale one is ECONFLICT.
func (k *listingKind[T, P, F, I]) edit(ctx context.Context, s *Service, actor Actor, id string, version int64, in I) (*T, error) {
	now := s.now()
	f := checked(in, now)
	var x *T
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if x, err = k.load(tx, actor, id); err != nil {
			return err
		}
		m := P(x).Meta()
		if !actor.MemberOf(m.OrgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, msgs.OnlyOwnerEditsListings, msgs.Term{Kind: "search.kind", Value: k.objectType})
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := checkVersion("the "+k.noun(), m.Version, version); err != nil {
			return err
		}
		if m.Status != ListingDraft {
			return Errorf(ECONFLICT, msgs.OnlyDraftsEditable, msgs.Term{Kind: "search.kind", Value: k.noun()}, msgs.Term{Kind: "listing.status", Value: m.Status})
		}
		if !in.apply(x, now) {
			return nil
		}
		m.UpdatedAt = now
		m.Version++
		if err := k.storeErr(k.update(tx, x)); err != nil {
			return err
		}
		e := m.event(k.updated, k.objectType, actor.AccountID, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// get returns a listing as the actor may see it.
func (k *listingKind[T, P, F, I]) get(ctx context.Context, s *Service, actor Actor, id string) (*T, error) {
	var x *T
	// One statement unless the kind's redaction reads more, which needs no common snapshot.
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		if x, err = k.load(tx, actor, id); err != nil || k.redact == nil {
			return err
		}
		return k.redact(tx, actor, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// page lists listings newest first. Anonymous callers and other
// organisations see published ones; members listing their own organisation
// and reviewers see every status.
func (k *listingKind[T, P, F, I]) page(ctx context.Context, s *Service, actor Actor, f F) (Page[T], error) {
	var page Page[T]
	orgID, status, limit := k.filter(&f)
	var err error
	if *status, err = visibleStatuses(actor, orgID, *status); err != nil {
		return page, err
	}
	if err := k.check(f); err != nil {
		return page, err
	}
	*limit = ClampLimit(*limit)
	err = s.Store.Read(ctx, func(tx Tx) error {
		if page, err = k.list(tx, f); err != nil || k.redactList == nil {
			return err
		}
		for i := range page.Items {
			k.redactList(actor, &page.Items[i])
		}
		return nil
	})
	return page, err
}

// transition takes a life-cycle action (see NextListingStatus for who may
// take which). version is the version the caller read; a stale one is
// ECONFLICT.
func (k *listingKind[T, P, F, I]) transition(ctx context.Context, s *Service, actor Actor, id string, version int64, action ListingAction, reason string) (*T, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if action == AwardListing {
		return nil, Invalid("action", k.awardRefusal)
	}
	if len([]rune(reason)) > MaxReason {
		return nil, Invalid("reason", msgs.AtMostNChars, MaxReason)
	}
	now := s.now()
	var out T
	err := s.Store.Update(ctx, func(tx Tx) error {
		x, err := k.load(tx, actor, id)
		if err != nil {
			return err
		}
		m := P(x).Meta()
		next, e, err := k.apply(*x, ListingRolesOf(actor, m.OrgID), actor.AccountID, action, reason, now)
		if err != nil {
			return err
		}
		// Versions are compared after the rules, so a stranger learns nothing from a 409.
		if err := checkVersion("the "+k.noun(), m.Version, version); err != nil {
			return err
		}
		if err := publishableBy(tx, P(&next).Meta().Status, m.OrgID); err != nil {
			return err
		}
		if err := k.update(tx, &next); err != nil {
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

// history returns a listing's events, for its owner and reviewers.
func (k *listingKind[T, P, F, I]) history(ctx context.Context, s *Service, actor Actor, id string) ([]Event, error) {
	var out []Event
	err := s.Store.View(ctx, func(tx Tx) error {
		x, err := k.load(tx, actor, id)
		if err != nil {
			return err
		}
		m := P(x).Meta()
		out, err = listingHistory(tx, actor, k.objectType, m.ID, m.OrgID)
		return err
	})
	return out, err
}

// ListingCalls are one listing kind's service calls, so the API and the
// pages serve every kind with one piece of code each.
type ListingCalls[T, In, F any] struct {
	Create     func(*Service, context.Context, Actor, string, In) (*T, error)
	Update     func(*Service, context.Context, Actor, string, int64, In) (*T, error)
	Get        func(*Service, context.Context, Actor, string) (*T, error)
	List       func(*Service, context.Context, Actor, F) (Page[T], error)
	Transition func(*Service, context.Context, Actor, string, int64, ListingAction, string) (*T, error)
	History    func(*Service, context.Context, Actor, string) ([]Event, error)
}

// OutcomeCalls and ScenarioCalls are the calls of the two listing kinds.
var (
	OutcomeCalls = ListingCalls[Outcome, OutcomeInput, OutcomeFilter]{Create: (*Service).CreateOutcome,
		Update: (*Service).UpdateOutcome, Get: (*Service).Outcome, List: (*Service).Outcomes,
		Transition: (*Service).TransitionOutcome, History: (*Service).OutcomeHistory}
	ScenarioCalls = ListingCalls[Scenario, ScenarioInput, ScenarioFilter]{Create: (*Service).CreateScenario,
		Update: (*Service).UpdateScenario, Get: (*Service).Scenario, List: (*Service).Scenarios,
		Transition: (*Service).TransitionScenario, History: (*Service).ScenarioHistory}
)
