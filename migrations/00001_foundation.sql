-- Accounts, organisations, tokens and the event log. Portable SQL: TEXT ids,
-- TIMESTAMP (UTC, no zone: modernc SQLite reads time.Time back only from
-- TIMESTAMP/DATETIME columns), BIGINT money and sequence numbers.

-- +goose Up
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    platform_role TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE organizations (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    region       TEXT NOT NULL,
    credit_code  TEXT NOT NULL UNIQUE,
    verification TEXT NOT NULL,
    payout_ref   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      BIGINT NOT NULL
);
CREATE INDEX organizations_verification ON organizations (verification, id);

CREATE TABLE memberships (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    role       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, org_id)
);
CREATE INDEX memberships_org ON memberships (org_id);

CREATE TABLE invitations (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, email)
);
CREATE INDEX invitations_email ON invitations (email);

CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE web_sessions (
    hash       TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- The event log. seq is assigned from event_head inside the writing
-- transaction; updating that one row serialises writers, so seq order is
-- commit order and the hash chain cannot fork.
CREATE TABLE events (
    seq         BIGINT PRIMARY KEY,
    type        TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX events_object ON events (object_type, object_id, seq);

CREATE TABLE event_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO event_head (id, seq, hash) VALUES (1, 0, '');

-- Named positions of log consumers (the search indexer, notifications).
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);

-- +goose Down
DROP TABLE cursors;
DROP TABLE event_head;
DROP TABLE events;
DROP TABLE web_sessions;
DROP TABLE refresh_tokens;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE organizations;
DROP TABLE accounts;
