-- The orders of the browse pages and the list API (issue 15): each sort
-- other than newest reads a (status, key, id) index in its order and stops
-- at the page's limit, as newest does on (status, id). Ties go newest
-- first. price_desc and budget_desc read the bound indexes of migration
-- 00019, which gain the id; price_asc leads with negotiable so negotiable
-- listings (floor 0) come last; deadline_asc leads with "no deadline", so
-- those come last on both engines (SQLite sorts NULL first, PostgreSQL last).

-- +goose Up
CREATE INDEX outcomes_trl ON outcomes (status, trl, id);
CREATE INDEX outcomes_price_asc ON outcomes (status, negotiable, price_floor, id DESC);
DROP INDEX outcomes_price_floor;
CREATE INDEX outcomes_price_floor ON outcomes (status, price_floor, id);
DROP INDEX scenarios_budget_floor;
CREATE INDEX scenarios_budget_floor ON scenarios (status, budget_floor, id);
CREATE INDEX scenarios_deadline ON scenarios (status, (deadline IS NULL), deadline, id DESC);

-- +goose Down
DROP INDEX scenarios_deadline;
DROP INDEX scenarios_budget_floor;
CREATE INDEX scenarios_budget_floor ON scenarios (status, budget_floor);
DROP INDEX outcomes_price_floor;
CREATE INDEX outcomes_price_floor ON outcomes (status, price_floor);
DROP INDEX outcomes_price_asc;
DROP INDEX outcomes_trl;
