// Package market is the domain of TechBridge: its types, rules, pure state
// machines and the Service that applies them over a Store. It imports no
// database, web or search code; market/sqlstore implements its Store,
// market/ledger holds the money rules, market/mail the mail adapters and
// market/demo the demo market.
//
// The files form groups by what they are about; a file's prefix names its
// group. Within a group, the type and its pure rules come first (outcome.go,
// deal_transitions.go), the Service methods that load, check and store them
// in *_service*.go, and the Store's part for the group in *_store.go.
//
// Foundation:
//   - service.go, store.go: the Service and the Store/Tx it runs on.
//   - actor.go, error.go, event.go, id.go, page.go, lease.go: who acts, error
//     codes with field errors, the event log, ids, list paging, leases.
//   - language.go, field_taxonomy.go, ipc.go, creditcode.go: shared
//     vocabularies (listing languages, technology fields, IPC codes, unified
//     social credit codes).
//
// Accounts and organisations:
//   - account*.go, password*.go, token*.go, verification.go: accounts,
//     passwords and their hashing gate, login and one-time tokens, the
//     verified-organisation checks.
//   - organization.go, org_service.go, org_payout.go, membership_service.go,
//     invitation.go: organisations, members, invitations, payout accounts.
//
// Listings (one listing kind, two kinds of it):
//   - listing.go: statuses, actions and the life cycle (NextListingStatus)
//     shared by every kind, and the shared field rules (money, keywords, IPC).
//   - listing_meta.go: ListingMeta, the state every kind embeds (identity,
//     owner, status, review, versions) and its life-cycle step.
//   - listing_kind.go: listingKind, the rules written once over a kind's type
//     parameters (create, edit, visibility, transitions, history, lists) and
//     ListingCalls, each kind's service calls for the API and the pages.
//   - listing_service.go, listing_store.go: the review queue, history and
//     visibility helpers; the ListingTx the store implements.
//   - outcome.go, outcome_service.go: what only outcomes have (IP,
//     confidentiality and teasers, freshness) and the outcome kind.
//   - scenario.go, scenario_service.go: what only scenarios have (kinds,
//     budgets, bounties, deadlines) and the scenario kind.
//   - proposal*.go: proposals that answer scenarios with outcomes, and awards.
//   - import*.go: bulk import of outcomes and organisations.
//
// Deals (from inquiry to signed contract):
//   - deal.go, deal_transitions.go, deal_actions.go, deal_events.go: the deal
//     and its pure state machine (ApplyDeal).
//   - deal_open.go, deal_offers.go, deal_signing.go, deal_intermediary.go,
//     nda.go, offer.go: opening, offers, signatures, brokers, NDAs.
//   - deal_service*.go: the Service over deals (actions, NDAs, notifications,
//     the sweep of stale deals).
//   - contract*.go: the contract document, its hash and its registration.
//
// Money (milestones and payments; the rules of amounts are market/ledger's):
//   - milestone*.go: milestones, their transitions, settlement and contract.
//   - payment*.go, ledger_alias.go, ledger_store.go, money.go: payments
//     through a provider, retries, statements, audits, postings to the
//     ledger, fee terms.
//
// Notifications and mail:
//   - notification*.go, mail*.go: notifications, the mail outbox, alerts and
//     digests.
package market
