-- Bank statements of the escrow account (issue 11). Every line of an
-- imported statement is kept, matched or not, under a key derived from its
-- content, so importing the same file again adds nothing. Milestones are
-- found by the reference buyers quote (market.EscrowReference: the last
-- twelve hex characters of the milestone id, the random part of a UUIDv7),
-- through an expression index both engines support.

-- +goose Up
CREATE TABLE bank_statement_lines (
    id           TEXT PRIMARY KEY,
    line_key     TEXT NOT NULL UNIQUE,
    import_id    TEXT NOT NULL,
    line_no      INTEGER NOT NULL,
    raw          TEXT NOT NULL,
    booked_on    TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    reference    TEXT NOT NULL,
    payer        TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    detail       TEXT NOT NULL,
    milestone_id TEXT NOT NULL,
    imported_by  TEXT NOT NULL,
    imported_at  TIMESTAMP NOT NULL
);
CREATE INDEX bank_statement_lines_status ON bank_statement_lines (status, imported_at);
CREATE INDEX bank_statement_lines_imported ON bank_statement_lines (imported_at);
CREATE INDEX milestones_escrow_reference ON milestones (upper(substr(replace(id, '-', ''), 21, 12)));

-- +goose Down
DROP INDEX milestones_escrow_reference;
DROP TABLE bank_statement_lines;
