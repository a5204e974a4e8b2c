-- Mail digests (issue 10): when an account was last sent its daily digest
-- of unread notifications; NULL until the first one. The digest job sends
-- to accounts whose last digest is a day old, listing what came since.

-- +goose Up
ALTER TABLE accounts ADD COLUMN last_digest_at TIMESTAMP;

-- +goose Down
ALTER TABLE accounts DROP COLUMN last_digest_at;
