package market

import (
	"context"
	"fmt"
	"io"
	"techbridge/market/msgs"
	"time"
)

// DefaultImportBatch is how many records share one transaction: large
// enough that commits do not dominate, small enough that a write lock is
// not held for long.
const DefaultImportBatch = 500

// ImportOutcomes reads outcomes in format from r and upserts them into
// orgID by external_id: a new reference creates a draft (or, with
// opts.Publish, a published outcome), a known one updates it, an identical
// one is left alone. Records without external_id are always created. Bad
// lines are reported with their line number and reason and skipped; good
// lines are imported in batches, each batch one transaction with its
// events. Members update drafts only; reviewers (and the admin CLI) update
// outcomes in any open status.
func (s *Service) ImportOutcomes(ctx context.Context, actor Actor, orgID string, r io.Reader, format string, opts ImportOptions) (ImportReport, error) {
	rep := ImportReport{Errors: []ImportError{}}
	if opts.Publish && !actor.IsReviewer() {
		return rep, Errorf(EFORBIDDEN, msgs.OnlyReviewersAndAdminsImportStraight)
	}
	if opts.BatchSize <= 0 || opts.AllOrNothing {
		opts.BatchSize = DefaultImportBatch
	}
	err := s.Store.View(ctx, func(tx Tx) error {
		org, err := orgForListing(tx, actor, orgID)
		if err != nil {
			return err
		}
		if !org.Supplies() && org.Verification != VerificationVerified {
			return Errorf(EFORBIDDEN, msgs.OnlyUniversitiesInstitutesAndVerifiedOrganisations)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	batch := make([]ImportLine, 0, opts.BatchSize)
	flush := func() error {
		if len(batch) == 0 || opts.AllOrNothing {
			return nil
		}
		err := s.importBatch(ctx, actor, orgID, batch, opts, &rep)
		batch = batch[:0]
		return err
	}
	err = ReadImport(r, format, func(l ImportLine) error {
		if l.Err != nil {
			rep.fail(l.Line, l.Record.ExternalID, l.Err)
			return nil
		}
		batch = append(batch, l)
		if len(batch) == opts.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil && opts.AllOrNothing {
		err = s.importAllOrNothing(ctx, actor, orgID, batch, opts, &rep)
	}
	if rep.Created+rep.Updated >= importRefreshesStats {
		s.refreshListingStats(ctx)
	}
	return rep, err
}

// importRefreshesStats is how many listings an import writes before the
// planner's statistics are refreshed at its end: without them PostgreSQL
// guesses a filter's selectivity (autovacuum may be off, or not yet have
// run) and a list filtered by TRL read 55,000 rows and sorted them (240 ms)
// where, analysed, it walks the id index (2 ms).
const importRefreshesStats = 1000

// refreshListingStats refreshes the listing tables' planner statistics,
// where the store keeps any; the writes are committed, so a failure is
// logged, not returned.
func (s *Service) refreshListingStats(ctx context.Context) {
	r, ok := s.Store.(StatsRefresher)
	if !ok {
		return
	}
	// The import is done even if its caller has gone; a minute bounds it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := r.RefreshListingStats(ctx); err != nil && s.Log != nil {
		s.Log.Warn("refreshing the listing tables' statistics after an import", "err", err)
	}
}

// importAllOrNothing writes every line in one transaction and rolls it back
// when any line (or an earlier parse) failed, reporting all failures.
func (s *Service) importAllOrNothing(ctx context.Context, actor Actor, orgID string, lines []ImportLine, opts ImportOptions, rep *ImportReport) error {
	errRefused := Errorf(EINVALID, msgs.Refused)
	var part ImportReport
	err := s.Store.Update(ctx, func(tx Tx) error {
		part = ImportReport{}
		if err := s.importLines(tx, actor, orgID, lines, opts, &part); err != nil {
			return err
		}
		if rep.Failed+part.Failed > 0 {
			return errRefused
		}
		return nil
	})
	if err != nil && err != errRefused {
		return err
	}
	if err == nil {
		rep.add(part)
		return nil
	}
	rep.Failed += part.Failed
	rep.Errors = append(rep.Errors, part.Errors...)
	var f Fields
	for _, e := range rep.Errors {
		for _, fe := range e.Fields {
			f.Add(fe.Field, msgs.LineNX, e.Line, fe.Message)
		}
		if len(e.Fields) == 0 {
			f.Add("line", msgs.LineNX, e.Line, e.Message)
		}
	}
	out := f.Err().(*Error)
	out.Message = fmt.Sprintf("%d of the lines are invalid; nothing was imported. First: %s", rep.Failed, out.Message)
	return out
}

// add merges a committed batch's counts.
func (r *ImportReport) add(part ImportReport) {
	r.Created += part.Created
	r.Updated += part.Updated
	r.Unchanged += part.Unchanged
	r.Failed += part.Failed
	for _, e := range part.Errors {
		if len(r.Errors) < MaxImportErrors {
			r.Errors = append(r.Errors, e)
		}
	}
}

// importBatch writes one batch in one transaction. Validation failures are
// counted per line; a store failure aborts the batch (and the import),
// leaving earlier batches committed and the counts of this one untouched.
func (s *Service) importBatch(ctx context.Context, actor Actor, orgID string, lines []ImportLine, opts ImportOptions, rep *ImportReport) error {
	var part ImportReport
	err := s.Store.Update(ctx, func(tx Tx) error {
		part = ImportReport{}
		return s.importLines(tx, actor, orgID, lines, opts, &part)
	})
	if err != nil {
		return err
	}
	rep.add(part)
	return nil
}

// importLines validates and upserts lines within tx, recording bad ones.
func (s *Service) importLines(tx Tx, actor Actor, orgID string, lines []ImportLine, opts ImportOptions, part *ImportReport) error {
	now := s.now()
	for _, l := range lines {
		in := l.Record.Input()
		var f Fields
		in.Normalize(&f)
		in.Validate(&f, now)
		if err := f.Err(); err != nil {
			part.fail(l.Line, in.ExternalID, err)
			continue
		}
		if err := s.importOne(tx, actor, orgID, l.Line, in, opts, now, part); err != nil {
			return err
		}
	}
	return nil
}

// importOne upserts one validated record. A line the owner must fix is
// recorded in rep without touching the store; the error it returns is a
// store failure, which aborts the batch (PostgreSQL cannot go on in a
// transaction after a failed statement anyway).
func (s *Service) importOne(tx Tx, actor Actor, orgID string, line int, in OutcomeInput, opts ImportOptions, now time.Time, rep *ImportReport) error {
	var o *Outcome
	if in.ExternalID != "" {
		found, err := tx.OutcomeByExternalID(orgID, in.ExternalID)
		if err != nil && !isNotFound(err) {
			return err
		}
		o = found
	}
	ev := func(typ string, o *Outcome, from string) error {
		e := NewEvent(typ, actor.AccountID, OutcomeObjectType, o.ID,
			ListingEvent{OrgID: o.OrgID, Status: o.Status, From: from, Version: o.Version, Source: "import"}, now)
		return tx.AppendEvent(&e)
	}
	if o == nil {
		o = &Outcome{ListingMeta: newListingMeta(orgID, actor.AccountID, now)}
		if opts.Publish {
			o.Status = ListingPublished
			o.PublishedAt = &now
		}
		in.apply(o, now)
		if err := tx.CreateOutcome(o); err != nil {
			return err
		}
		rep.Created++
		return ev(EventOutcomeCreated, o, "")
	}
	if !in.apply(o, now) && (!opts.Publish || o.Status == ListingPublished) {
		rep.Unchanged++
		return nil
	}
	from := o.Status
	switch {
	case o.Status == ListingDraft:
	case actor.IsReviewer() && oneOf(o.Status, []string{ListingPendingReview, ListingPublished, ListingPaused, ListingRejected}):
	default:
		rep.fail(line, in.ExternalID, Errorf(ECONFLICT, msgs.OutcomeXXImportUpdatesDrafts, in.ExternalID, msgs.Term{Kind: "listing.status", Value: o.Status}))
		return nil
	}
	if opts.Publish && o.Status != ListingPublished && o.Status != ListingPaused {
		o.Status, o.RejectReason = ListingPublished, ""
		if o.PublishedAt == nil {
			o.PublishedAt = &now
		}
	}
	o.UpdatedAt = now
	o.Version++
	if err := tx.UpdateOutcome(o); err != nil {
		return err
	}
	rep.Updated++
	typ := EventOutcomeUpdated
	if from != o.Status {
		typ = OutcomeObjectType + "." + o.Status
	}
	return ev(typ, o, from)
}
