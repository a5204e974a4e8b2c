package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"techbridge/market"
)

// runAudit handles "audit verify": it proves the event log's hash chain
// intact or names the first broken event.
func runAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: techbridge audit verify")
	}
	var c config
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	dataFlags(fs, &c)
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	db, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := verifyEventLog(ctx, db, auditPage)
	if err != nil {
		return err
	}
	if res.Broken != 0 {
		return fmt.Errorf("event log broken at seq %d (%s); %d events before it verified", res.Broken, res.Reason, res.Broken-1)
	}
	fmt.Fprintf(stdout, "event log intact: %d events, head %s\n", res.Checked, res.Head)
	return nil
}

// auditPage is how many events one read transaction verifies.
const auditPage = 5000

// auditResult is what verifyEventLog found.
type auditResult struct {
	Checked int64  // events verified
	Head    string // hash of the last event
	Broken  int64  // seq of the first broken event; 0 when intact
	Reason  string // why Broken is broken
}

// verifyEventLog pages through the whole log in seq order and checks the
// chain; it also checks that the log ends where the head row says, so
// events deleted from the end are found too.
func verifyEventLog(ctx context.Context, store market.Store, page int) (auditResult, error) {
	var res auditResult
	var seq int64
	for {
		var evs []market.Event
		var last int64
		err := store.View(ctx, func(tx market.Tx) (err error) {
			if evs, err = tx.EventsAfter(seq, page); err != nil {
				return err
			}
			last, err = tx.LastEventSeq()
			return err
		})
		if err != nil {
			return res, err
		}
		if broken := market.VerifyChain(seq, res.Head, evs); broken != 0 {
			res.Broken, res.Reason = broken, "its hash does not follow from its fields and the previous hash, or a sequence number is missing"
			return res, nil
		}
		for _, e := range evs {
			res.Checked, res.Head, seq = res.Checked+1, e.Hash, e.Seq
		}
		if len(evs) < page {
			if seq != last {
				res.Broken, res.Reason = seq+1, fmt.Sprintf("the log ends at %d but its head is at %d: events are missing", seq, last)
			}
			return res, nil
		}
	}
}
