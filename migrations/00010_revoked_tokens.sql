-- Revoked access tokens, by JWT id, until the token would have expired.
-- They were kept in Redis only, where a restart without persistence
-- brought a logged-out token back to life; the database is the record and
-- is checked on every authenticated request (one primary-key lookup).

-- +goose Up
CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX revoked_tokens_expires ON revoked_tokens (expires_at);

-- +goose Down
DROP TABLE revoked_tokens;
