-- Price filters that an index can serve (issue 12). A listing's price range
-- overlaps a wanted [min, max] when it is negotiable, open-ended or ends at
-- or above min, and starts at or below max; written as ORs over three
-- columns no index can lead with them, so a filter matching few listings
-- walked every published one. price_top and price_floor (budget_top and
-- budget_floor for scenarios) normalise the range into one bound each:
-- the highest price the listing may take (no limit when negotiable or
-- open-ended) and the lowest (0 when negotiable), so each filter is one
-- range over an index. Generated columns: every write keeps them.

-- PostgreSQL keeps them STORED (it has no virtual generated columns before 18).

-- +goose Up
ALTER TABLE outcomes ADD COLUMN price_top BIGINT GENERATED ALWAYS AS
    (CASE WHEN negotiable OR price_max = 0 THEN 9223372036854775807 ELSE price_max END) STORED;
ALTER TABLE outcomes ADD COLUMN price_floor BIGINT GENERATED ALWAYS AS
    (CASE WHEN negotiable THEN 0 ELSE price_min END) STORED;
ALTER TABLE scenarios ADD COLUMN budget_top BIGINT GENERATED ALWAYS AS
    (CASE WHEN negotiable OR budget_max = 0 THEN 9223372036854775807 ELSE budget_max END) STORED;
ALTER TABLE scenarios ADD COLUMN budget_floor BIGINT GENERATED ALWAYS AS
    (CASE WHEN negotiable THEN 0 ELSE budget_min END) STORED;
CREATE INDEX outcomes_price_top ON outcomes (status, price_top);
CREATE INDEX outcomes_price_floor ON outcomes (status, price_floor);
CREATE INDEX scenarios_budget_top ON scenarios (status, budget_top);
CREATE INDEX scenarios_budget_floor ON scenarios (status, budget_floor);

-- +goose Down
DROP INDEX scenarios_budget_floor;
DROP INDEX scenarios_budget_top;
DROP INDEX outcomes_price_floor;
DROP INDEX outcomes_price_top;
ALTER TABLE scenarios DROP COLUMN budget_floor;
ALTER TABLE scenarios DROP COLUMN budget_top;
ALTER TABLE outcomes DROP COLUMN price_floor;
ALTER TABLE outcomes DROP COLUMN price_top;
