-- Deals, their message threads, organisations' NDAs, the milestones of
-- signed contracts, and in-app notifications. A deal's nested parts
-- (offers, contract, signatures, NDA snapshot and acceptance, intermediary)
-- change only together with the deal and are read whole, so they are JSON in
-- TEXT columns; what queries filter on is a column of its own.

-- +goose Up
CREATE TABLE deals (
    id                  TEXT PRIMARY KEY,
    version             BIGINT NOT NULL,
    state               TEXT NOT NULL,
    source              TEXT NOT NULL,
    listing_id          TEXT NOT NULL,
    scenario_id         TEXT NOT NULL,
    buyer_org_id        TEXT NOT NULL REFERENCES organizations (id),
    seller_org_id       TEXT NOT NULL REFERENCES organizations (id),
    intermediary_org_id TEXT NOT NULL DEFAULT '',
    opened_by_role      TEXT NOT NULL,
    nda_accepted_org_id TEXT NOT NULL DEFAULT '',
    intermediary        TEXT NOT NULL,
    nda                 TEXT NOT NULL,
    nda_acceptance      TEXT NOT NULL,
    offers              TEXT NOT NULL,
    contract            TEXT NOT NULL,
    signatures          TEXT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    last_activity_at    TIMESTAMP NOT NULL,
    signed_at           TIMESTAMP,
    closed_at           TIMESTAMP,
    close_reason        TEXT NOT NULL
);
-- One open deal per buyer and listing; the states are market.DealClosedStates.
CREATE UNIQUE INDEX deals_one_open ON deals (buyer_org_id, source, listing_id)
    WHERE state NOT IN ('declined', 'cancelled', 'expired', 'completed');
CREATE INDEX deals_buyer ON deals (buyer_org_id, id);
CREATE INDEX deals_seller ON deals (seller_org_id, id);
CREATE INDEX deals_intermediary ON deals (intermediary_org_id, id) WHERE intermediary_org_id <> '';
CREATE INDEX deals_idle ON deals (state, last_activity_at);
CREATE INDEX deals_listing_nda ON deals (source, listing_id, nda_accepted_org_id);

CREATE TABLE deal_messages (
    id                TEXT PRIMARY KEY,
    deal_id           TEXT NOT NULL REFERENCES deals (id),
    author_org_id     TEXT NOT NULL,
    author_role       TEXT NOT NULL,
    author_account_id TEXT NOT NULL,
    body              TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX deal_messages_deal ON deal_messages (deal_id, id);

-- Every version of an organisation's NDA; the highest is current. Deals
-- keep a snapshot, so an edit never changes what a buyer accepted.
CREATE TABLE ndas (
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE milestones (
    id            TEXT PRIMARY KEY,
    deal_id       TEXT NOT NULL REFERENCES deals (id),
    seq           INTEGER NOT NULL,
    title         TEXT NOT NULL,
    deliverable   TEXT NOT NULL,
    due           TIMESTAMP NOT NULL,
    amount        BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    state         TEXT NOT NULL,
    funded        BIGINT NOT NULL,
    refunded      BIGINT NOT NULL,
    delivery_note TEXT NOT NULL,
    changes_note  TEXT NOT NULL,
    dispute_note  TEXT NOT NULL,
    disputed_from TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (deal_id, seq)
);

-- In-app notifications, to one account or to every member of an
-- organisation. dedup_key is NULL unless the sender wants "at most once";
-- NULLs never collide, so the unique index only binds real keys.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    text        TEXT NOT NULL,
    dedup_key   TEXT UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP
);
CREATE INDEX notifications_account ON notifications (account_id, id) WHERE account_id <> '';
CREATE INDEX notifications_org ON notifications (org_id, id) WHERE org_id <> '';

-- +goose Down
DROP TABLE notifications;
DROP TABLE milestones;
DROP TABLE ndas;
DROP TABLE deal_messages;
DROP TABLE deals;
