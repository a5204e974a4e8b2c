-- Technology-contract registration (issue 16): what the registry's form
-- (技术合同认定登记表, JJ-001) asks of each organisation, and the registration
-- of signed contracts. A registration keeps the record as submitted (JSON),
-- so a later profile edit never changes what the registrar saw; what the
-- export filters on is a column of its own.

-- +goose Up
ALTER TABLE organizations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN legal_representative TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN country TEXT NOT NULL DEFAULT '';

CREATE TABLE contract_registrations (
    deal_id              TEXT PRIMARY KEY REFERENCES deals (id),
    version              BIGINT NOT NULL,
    state                TEXT NOT NULL,
    submitted_by_role    TEXT NOT NULL,
    submitted_by_account TEXT NOT NULL,
    submitted_at         TIMESTAMP NOT NULL,
    return_reason        TEXT NOT NULL,
    number               TEXT NOT NULL,
    registered_on        TEXT NOT NULL,
    registrar_account    TEXT NOT NULL,
    contract_type        TEXT NOT NULL,
    tech_field           TEXT NOT NULL,
    buyer_region         TEXT NOT NULL,
    seller_region        TEXT NOT NULL,
    signed_on            TEXT NOT NULL,
    record               TEXT NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
-- The export pages by (submitted_at, deal_id) newest first.
CREATE INDEX contract_registrations_page ON contract_registrations (submitted_at, deal_id);
CREATE UNIQUE INDEX contract_registrations_number ON contract_registrations (number) WHERE number <> '';

-- +goose Down
DROP TABLE contract_registrations;
ALTER TABLE organizations DROP COLUMN country;
ALTER TABLE organizations DROP COLUMN region_code;
ALTER TABLE organizations DROP COLUMN contact_phone;
ALTER TABLE organizations DROP COLUMN contact_person;
ALTER TABLE organizations DROP COLUMN legal_representative;
ALTER TABLE organizations DROP COLUMN address;
