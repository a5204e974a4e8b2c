-- Market statistics (issue 16): daily rollups kept by the statistics
-- consumer of the event log, so that no dashboard reads the listings or
-- deals tables. Each rollup row is one day's change of one measure in one
-- bucket; stocks (listings published now, deals per state) are sums of
-- +1/-1 changes up to a day, flows (deals reaching a stage, contracts
-- registered) sums over a period. Every row is written four times: for the
-- whole market (field and region '*'), for its field, for its region and
-- for both, so a filtered page reads only its own slice.

-- (SQLite: the rollup tables are WITHOUT ROWID, clustered by their key, so a
-- page's range of rows is read in place rather than one table lookup per
-- index entry; PostgreSQL keeps its heap and reads the key's index with the
-- sums included, INCLUDE.)

-- +goose Up
CREATE TABLE stats_daily (
    metric TEXT NOT NULL,   -- supply, demand, deal_state, deal_stage, contract, cycle, challenge, broker
    dim    TEXT NOT NULL,   -- the breakdown: field, region, trl, ip_type, type, stage …
    field  TEXT NOT NULL,   -- '*' or the technology field of the slice
    region TEXT NOT NULL,   -- '*' or the region of the slice
    day    TIMESTAMP NOT NULL,
    bucket TEXT NOT NULL,   -- the breakdown's value
    n      BIGINT NOT NULL, -- a count (a change of one for stocks)
    amount BIGINT NOT NULL, -- 成交额 in CNY minor units, broker fees, or cycle seconds
    income BIGINT NOT NULL, -- 技术交易额 in CNY minor units
    PRIMARY KEY (metric, dim, field, region, day, bucket)
) WITHOUT ROWID;

-- The same sums over all days, kept beside the daily rows: a stock as of
-- today (the pages' default) reads a few rows per bucket, not every day's.
CREATE TABLE stats_totals (
    metric TEXT NOT NULL,
    dim    TEXT NOT NULL,
    field  TEXT NOT NULL,
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    n      BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    income BIGINT NOT NULL,
    PRIMARY KEY (metric, dim, field, region, bucket)
) WITHOUT ROWID;

-- Funnels: per listing, organisation, broker and the whole market ('all',
-- ''), the steps of a day: view (visitors, deduplicated per day), detail
-- (detail page loads), inquiry, nda, offer, signed.
CREATE TABLE stats_funnel (
    scope    TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    day      TIMESTAMP NOT NULL,
    step     TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (scope, scope_id, day, step)
) WITHOUT ROWID;

-- What the consumer last counted for each listing and deal, so an event
-- moves a listing or deal from its old buckets to its new ones.
CREATE TABLE stats_listings (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,  -- outcome or scenario
    org_id    TEXT NOT NULL,
    live      INTEGER NOT NULL, -- 1 while published
    field     TEXT NOT NULL,
    region    TEXT NOT NULL,
    trl       TEXT NOT NULL,
    ip_type   TEXT NOT NULL,
    challenge INTEGER NOT NULL, -- 1 for a challenge call
    answered  INTEGER NOT NULL  -- 1 once a proposal answered the call
);

CREATE TABLE stats_deals (
    id         TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL,   -- the outcome, or the scenario a proposal answered
    owner_org  TEXT NOT NULL,   -- the listing's owner
    broker_org TEXT NOT NULL,   -- '' until an intermediary takes part
    field      TEXT NOT NULL,
    region     TEXT NOT NULL,
    state      TEXT NOT NULL,
    reached    TEXT NOT NULL,   -- stages reached, comma-separated
    registered INTEGER NOT NULL
);

-- +goose Down
DROP TABLE stats_deals;
DROP TABLE stats_listings;
DROP TABLE stats_funnel;
DROP TABLE stats_totals;
DROP TABLE stats_daily;
