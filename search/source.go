package search

import (
	"context"

	"techbridge/market"
)

// Source gives the documents of listings by id. The embedded engine keeps
// no copy of a listing, only what it searches, so its index stays smaller
// than the text it holds would make it; it reads its hits' documents from
// the market store through a Source, which also means a hit always shows
// the listing as it is now.
type Source interface {
	// Documents returns the searchable documents among ids; unknown ids
	// and listings that are no longer published are left out.
	Documents(ctx context.Context, ids []string) (map[string]Document, error)
}

// StoreSource is the Source over the market store.
type StoreSource struct{ Store market.Store }

// Documents reads the listings with ids: outcomes first, then scenarios
// among the ids that were not outcomes.
func (s StoreSource) Documents(ctx context.Context, ids []string) (map[string]Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out map[string]Document
	// No transaction: each kind is one statement, and a hit shows its
	// listing as it is now, not as of a common snapshot.
	err := s.Store.Read(ctx, func(tx market.Tx) (err error) {
		out, err = loadDocuments(tx, ids, nil, true)
		return err
	})
	return out, err
}

// loadDocuments reads outcomes and scenarios by id, one query per kind,
// and returns the published ones as documents. With scenariosFromRest,
// scenarios are looked up among the outcome ids that found no outcome.
func loadDocuments(tx market.Tx, outcomeIDs, scenarioIDs []string, scenariosFromRest bool) (map[string]Document, error) {
	out := make(map[string]Document, len(outcomeIDs)+len(scenarioIDs))
	orgs := orgCache{tx: tx, m: map[string]*market.Organization{}}
	add := func(id, status, orgID string, doc func(*market.Organization) Document) error {
		if !Indexable(status) {
			return nil
		}
		org, err := orgs.get(orgID)
		if err == nil {
			out[id] = doc(org)
		}
		return err
	}
	outcomes, err := tx.OutcomesByIDs(outcomeIDs)
	if err != nil {
		return nil, err
	}
	found := make(map[string]bool, len(outcomes))
	for i := range outcomes {
		o := &outcomes[i]
		found[o.ID] = true
		if err := add(o.ID, o.Status, o.OrgID, func(g *market.Organization) Document { return OutcomeDocument(o, g) }); err != nil {
			return nil, err
		}
	}
	if scenariosFromRest {
		for _, id := range outcomeIDs {
			if !found[id] {
				scenarioIDs = append(scenarioIDs, id)
			}
		}
	}
	scenarios, err := tx.ScenariosByIDs(scenarioIDs)
	if err != nil {
		return nil, err
	}
	for i := range scenarios {
		s := &scenarios[i]
		if err := add(s.ID, s.Status, s.OrgID, func(g *market.Organization) Document { return ScenarioDocument(s, g) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// orgCache loads each organisation once per read.
type orgCache struct {
	tx market.Tx
	m  map[string]*market.Organization
}

func (c orgCache) get(id string) (*market.Organization, error) {
	if o, ok := c.m[id]; ok {
		return o, nil
	}
	o, err := c.tx.OrganizationByID(id)
	if market.ErrorCode(err) == market.ENOTFOUND {
		o, err = nil, nil // the document goes in without organisation details
	}
	if err != nil {
		return nil, err
	}
	c.m[id] = o
	return o, nil
}
