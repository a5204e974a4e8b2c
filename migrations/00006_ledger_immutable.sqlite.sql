-- Ledger rows are immutable on SQLite: UPDATE and DELETE abort. IF NOT
-- EXISTS because databases made before this split got these triggers in 00005.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger transactions are immutable'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER IF NOT EXISTS ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'ledger transactions are immutable'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER IF EXISTS ledger_transactions_no_delete;
DROP TRIGGER IF EXISTS ledger_transactions_no_update;
DROP TRIGGER IF EXISTS ledger_entries_no_delete;
DROP TRIGGER IF EXISTS ledger_entries_no_update;
