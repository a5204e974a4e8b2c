-- Lists cost what a page costs: no list counts its matching rows. Totals
-- come from listing_counts, kept by triggers in the same transaction as
-- every insert, update and delete of a listing, per status and per
-- filterable dimension ('' = all of a status; field, trl, kind, org,
-- scenario). A list whose filter one dimension covers gets an exact total
-- from a few rows of this table; other lists say only whether there is more.
-- Indexes serve every list filter (see sqlstore's EXPLAIN test).

-- +goose Up
CREATE TABLE listing_counts (
    kind   TEXT NOT NULL,
    status TEXT NOT NULL,
    dim    TEXT NOT NULL,
    val    TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (kind, dim, val, status)
);

INSERT INTO listing_counts (kind, status, dim, val, n)
SELECT 'outcome', status, '', '', COUNT(*) FROM outcomes GROUP BY status
UNION ALL SELECT 'outcome', status, 'field', field, COUNT(*) FROM outcomes GROUP BY status, field
UNION ALL SELECT 'outcome', status, 'trl', CAST(trl AS TEXT), COUNT(*) FROM outcomes GROUP BY status, trl
UNION ALL SELECT 'outcome', status, 'org', org_id, COUNT(*) FROM outcomes GROUP BY status, org_id
UNION ALL SELECT 'scenario', status, '', '', COUNT(*) FROM scenarios GROUP BY status
UNION ALL SELECT 'scenario', status, 'field', field, COUNT(*) FROM scenarios GROUP BY status, field
UNION ALL SELECT 'scenario', status, 'kind', kind, COUNT(*) FROM scenarios GROUP BY status, kind
UNION ALL SELECT 'scenario', status, 'trl', CAST(min_trl AS TEXT), COUNT(*) FROM scenarios GROUP BY status, min_trl
UNION ALL SELECT 'scenario', status, 'org', org_id, COUNT(*) FROM scenarios GROUP BY status, org_id
UNION ALL SELECT 'proposal', status, '', '', COUNT(*) FROM proposals GROUP BY status
UNION ALL SELECT 'proposal', status, 'scenario', scenario_id, COUNT(*) FROM proposals GROUP BY status, scenario_id
UNION ALL SELECT 'proposal', status, 'org', org_id, COUNT(*) FROM proposals GROUP BY status, org_id;

-- +goose StatementBegin
CREATE TRIGGER outcomes_count_insert AFTER INSERT ON outcomes BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('outcome', NEW.status, '', '', 1), ('outcome', NEW.status, 'field', NEW.field, 1),
        ('outcome', NEW.status, 'trl', CAST(NEW.trl AS TEXT), 1), ('outcome', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_count_update AFTER UPDATE OF status, field, trl, org_id ON outcomes
WHEN OLD.status <> NEW.status OR OLD.field <> NEW.field OR OLD.trl <> NEW.trl OR OLD.org_id <> NEW.org_id BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('outcome', OLD.status, '', '', -1), ('outcome', OLD.status, 'field', OLD.field, -1),
        ('outcome', OLD.status, 'trl', CAST(OLD.trl AS TEXT), -1), ('outcome', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('outcome', NEW.status, '', '', 1), ('outcome', NEW.status, 'field', NEW.field, 1),
        ('outcome', NEW.status, 'trl', CAST(NEW.trl AS TEXT), 1), ('outcome', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER outcomes_count_delete AFTER DELETE ON outcomes BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('outcome', OLD.status, '', '', -1), ('outcome', OLD.status, 'field', OLD.field, -1),
        ('outcome', OLD.status, 'trl', CAST(OLD.trl AS TEXT), -1), ('outcome', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER scenarios_count_insert AFTER INSERT ON scenarios BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('scenario', NEW.status, '', '', 1), ('scenario', NEW.status, 'field', NEW.field, 1),
        ('scenario', NEW.status, 'kind', NEW.kind, 1), ('scenario', NEW.status, 'trl', CAST(NEW.min_trl AS TEXT), 1),
        ('scenario', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scenarios_count_update AFTER UPDATE OF status, field, kind, min_trl, org_id ON scenarios
WHEN OLD.status <> NEW.status OR OLD.field <> NEW.field OR OLD.kind <> NEW.kind OR OLD.min_trl <> NEW.min_trl
    OR OLD.org_id <> NEW.org_id BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('scenario', OLD.status, '', '', -1), ('scenario', OLD.status, 'field', OLD.field, -1),
        ('scenario', OLD.status, 'kind', OLD.kind, -1), ('scenario', OLD.status, 'trl', CAST(OLD.min_trl AS TEXT), -1),
        ('scenario', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('scenario', NEW.status, '', '', 1), ('scenario', NEW.status, 'field', NEW.field, 1),
        ('scenario', NEW.status, 'kind', NEW.kind, 1), ('scenario', NEW.status, 'trl', CAST(NEW.min_trl AS TEXT), 1),
        ('scenario', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER scenarios_count_delete AFTER DELETE ON scenarios BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('scenario', OLD.status, '', '', -1), ('scenario', OLD.status, 'field', OLD.field, -1),
        ('scenario', OLD.status, 'kind', OLD.kind, -1), ('scenario', OLD.status, 'trl', CAST(OLD.min_trl AS TEXT), -1),
        ('scenario', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER proposals_count_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('proposal', NEW.status, '', '', 1), ('proposal', NEW.status, 'scenario', NEW.scenario_id, 1),
        ('proposal', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposals_count_update AFTER UPDATE OF status, scenario_id, org_id ON proposals
WHEN OLD.status <> NEW.status OR OLD.scenario_id <> NEW.scenario_id OR OLD.org_id <> NEW.org_id BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('proposal', OLD.status, '', '', -1), ('proposal', OLD.status, 'scenario', OLD.scenario_id, -1),
        ('proposal', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('proposal', NEW.status, '', '', 1), ('proposal', NEW.status, 'scenario', NEW.scenario_id, 1),
        ('proposal', NEW.status, 'org', NEW.org_id, 1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposals_count_delete AFTER DELETE ON proposals BEGIN
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES
        ('proposal', OLD.status, '', '', -1), ('proposal', OLD.status, 'scenario', OLD.scenario_id, -1),
        ('proposal', OLD.status, 'org', OLD.org_id, -1)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- Filters: status leads (every public list is of published listings) and
-- id follows, so a filtered page is read in order and stops at the limit
-- instead of sorting every match.
CREATE INDEX outcomes_org_status ON outcomes (org_id, status, id);
CREATE INDEX scenarios_field ON scenarios (field, status, id);
CREATE INDEX scenarios_kind ON scenarios (kind, status, id);
CREATE INDEX scenarios_org_status ON scenarios (org_id, status, id);
CREATE INDEX proposals_scenario_status ON proposals (scenario_id, status, id);
CREATE INDEX organizations_region ON organizations (region);

-- +goose Down
DROP INDEX organizations_region;
DROP INDEX proposals_scenario_status;
DROP INDEX scenarios_org_status;
DROP INDEX scenarios_kind;
DROP INDEX scenarios_field;
DROP INDEX outcomes_org_status;
DROP TRIGGER proposals_count_delete;
DROP TRIGGER proposals_count_update;
DROP TRIGGER proposals_count_insert;
DROP TRIGGER scenarios_count_delete;
DROP TRIGGER scenarios_count_update;
DROP TRIGGER scenarios_count_insert;
DROP TRIGGER outcomes_count_delete;
DROP TRIGGER outcomes_count_update;
DROP TRIGGER outcomes_count_insert;
DROP TABLE listing_counts;
