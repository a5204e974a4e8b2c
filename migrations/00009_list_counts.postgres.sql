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
CREATE FUNCTION listing_count_add(k TEXT, s TEXT, d TEXT, v TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO listing_counts (kind, status, dim, val, n) VALUES (k, s, d, v, delta)
    ON CONFLICT (kind, status, dim, val) DO UPDATE SET n = listing_counts.n + EXCLUDED.n;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION outcomes_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.field IS DISTINCT FROM NEW.field OR OLD.trl IS DISTINCT FROM NEW.trl OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('outcome', OLD.status, '', '', -1);
        PERFORM listing_count_add('outcome', OLD.status, 'field', OLD.field, -1);
        PERFORM listing_count_add('outcome', OLD.status, 'trl', CAST(OLD.trl AS TEXT), -1);
        PERFORM listing_count_add('outcome', OLD.status, 'org', OLD.org_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.field IS DISTINCT FROM NEW.field OR OLD.trl IS DISTINCT FROM NEW.trl OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('outcome', NEW.status, '', '', 1);
        PERFORM listing_count_add('outcome', NEW.status, 'field', NEW.field, 1);
        PERFORM listing_count_add('outcome', NEW.status, 'trl', CAST(NEW.trl AS TEXT), 1);
        PERFORM listing_count_add('outcome', NEW.status, 'org', NEW.org_id, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER outcomes_count AFTER INSERT OR UPDATE OR DELETE ON outcomes
    FOR EACH ROW EXECUTE FUNCTION outcomes_count();

-- +goose StatementBegin
CREATE FUNCTION scenarios_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.field IS DISTINCT FROM NEW.field OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.min_trl IS DISTINCT FROM NEW.min_trl OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('scenario', OLD.status, '', '', -1);
        PERFORM listing_count_add('scenario', OLD.status, 'field', OLD.field, -1);
        PERFORM listing_count_add('scenario', OLD.status, 'kind', OLD.kind, -1);
        PERFORM listing_count_add('scenario', OLD.status, 'trl', CAST(OLD.min_trl AS TEXT), -1);
        PERFORM listing_count_add('scenario', OLD.status, 'org', OLD.org_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.field IS DISTINCT FROM NEW.field OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.min_trl IS DISTINCT FROM NEW.min_trl OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('scenario', NEW.status, '', '', 1);
        PERFORM listing_count_add('scenario', NEW.status, 'field', NEW.field, 1);
        PERFORM listing_count_add('scenario', NEW.status, 'kind', NEW.kind, 1);
        PERFORM listing_count_add('scenario', NEW.status, 'trl', CAST(NEW.min_trl AS TEXT), 1);
        PERFORM listing_count_add('scenario', NEW.status, 'org', NEW.org_id, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER scenarios_count AFTER INSERT OR UPDATE OR DELETE ON scenarios
    FOR EACH ROW EXECUTE FUNCTION scenarios_count();

-- +goose StatementBegin
CREATE FUNCTION proposals_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.scenario_id IS DISTINCT FROM NEW.scenario_id OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('proposal', OLD.status, '', '', -1);
        PERFORM listing_count_add('proposal', OLD.status, 'scenario', OLD.scenario_id, -1);
        PERFORM listing_count_add('proposal', OLD.status, 'org', OLD.org_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.scenario_id IS DISTINCT FROM NEW.scenario_id OR OLD.org_id IS DISTINCT FROM NEW.org_id) THEN
        PERFORM listing_count_add('proposal', NEW.status, '', '', 1);
        PERFORM listing_count_add('proposal', NEW.status, 'scenario', NEW.scenario_id, 1);
        PERFORM listing_count_add('proposal', NEW.status, 'org', NEW.org_id, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER proposals_count AFTER INSERT OR UPDATE OR DELETE ON proposals
    FOR EACH ROW EXECUTE FUNCTION proposals_count();

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
DROP TRIGGER outcomes_count ON outcomes;
DROP FUNCTION outcomes_count();
DROP TRIGGER scenarios_count ON scenarios;
DROP FUNCTION scenarios_count();
DROP TRIGGER proposals_count ON proposals;
DROP FUNCTION proposals_count();
DROP FUNCTION listing_count_add(TEXT, TEXT, TEXT, TEXT, BIGINT);
DROP TABLE listing_counts;
