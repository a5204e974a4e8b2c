-- Leases: named, time-limited locks that keep singleton jobs (the search
-- indexer) to one instance at a time. expires_ms is Unix milliseconds so
-- both engines compare it as a plain integer.

-- +goose Up
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- +goose Down
DROP TABLE leases;
