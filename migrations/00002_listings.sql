-- Listings: outcomes (supply), scenarios (demand, application scenarios,
-- challenge calls) and proposals answering scenarios. Lists of strings
-- (keywords, IPC codes, patent numbers, transfer modes) are JSON arrays in
-- TEXT, portable across both engines; money is BIGINT minor units.

-- +goose Up
CREATE TABLE outcomes (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id),
    external_id     TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    description     TEXT NOT NULL,
    keywords        TEXT NOT NULL,
    field           TEXT NOT NULL,
    ipc             TEXT NOT NULL,
    trl             INTEGER NOT NULL,
    ip_type         TEXT NOT NULL,
    patent_numbers  TEXT NOT NULL,
    legal_status    TEXT NOT NULL,
    transfer_modes  TEXT NOT NULL,
    price_min       BIGINT NOT NULL,
    price_max       BIGINT NOT NULL,
    currency        TEXT NOT NULL,
    negotiable      BOOLEAN NOT NULL,
    confidentiality TEXT NOT NULL,
    fresh_until     TIMESTAMP NOT NULL,
    status          TEXT NOT NULL,
    reject_reason   TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    published_at    TIMESTAMP,
    version         BIGINT NOT NULL
);
-- The owner's reference is unique per organisation: imports upsert by it.
CREATE UNIQUE INDEX outcomes_external_id ON outcomes (org_id, external_id) WHERE external_id <> '';
CREATE INDEX outcomes_status ON outcomes (status, id);
CREATE INDEX outcomes_org ON outcomes (org_id, id);
CREATE INDEX outcomes_field ON outcomes (field, status, id);

CREATE TABLE scenarios (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    field         TEXT NOT NULL,
    keywords      TEXT NOT NULL,
    ipc           TEXT NOT NULL,
    min_trl       INTEGER NOT NULL,
    budget_min    BIGINT NOT NULL,
    budget_max    BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    negotiable    BOOLEAN NOT NULL,
    bounty        BIGINT NOT NULL,
    criteria      TEXT NOT NULL,
    deadline      TIMESTAMP,
    region        TEXT NOT NULL,
    status        TEXT NOT NULL,
    reject_reason TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    published_at  TIMESTAMP,
    version       BIGINT NOT NULL
);
CREATE INDEX scenarios_status ON scenarios (status, id);
CREATE INDEX scenarios_org ON scenarios (org_id, id);

CREATE TABLE proposals (
    id          TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES scenarios (id),
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    outcome_id  TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    price_min   BIGINT NOT NULL,
    price_max   BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    negotiable  BOOLEAN NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     BIGINT NOT NULL
);
-- One live proposal of the same outcome per scenario and organisation.
CREATE UNIQUE INDEX proposals_outcome ON proposals (scenario_id, org_id, outcome_id)
    WHERE outcome_id <> '' AND status <> 'withdrawn';
CREATE INDEX proposals_scenario ON proposals (scenario_id, id);
CREATE INDEX proposals_org ON proposals (org_id, id);

-- +goose Down
DROP TABLE proposals;
DROP TABLE scenarios;
DROP TABLE outcomes;
