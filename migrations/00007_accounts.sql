-- Accounts you can trust: verified email addresses, single-use account
-- tokens (email verification, password reset), invitations that the
-- invitee accepts, organisation verification history, and the mail outbox.
-- Existing accounts start unverified: nothing proves they own their
-- address, and the resend link is one click away.

-- +goose Up
-- What the owners give the reviewing admin: documents' details as text.
ALTER TABLE organizations ADD COLUMN verification_details TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN email_verified_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'zh';
-- Comma-separated mail categories the account opted out of.
ALTER TABLE accounts ADD COLUMN mail_opt_out TEXT NOT NULL DEFAULT '';

-- Single-use secrets mailed to an account, kept only as hashes. email is
-- the address the token proves (an email change verifies the new one).
CREATE TABLE account_tokens (
    hash       TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    purpose    TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, purpose);

-- Invitations bound to a bare email were taken by whoever registered the
-- address first; they are dropped, and owners invite again by link.
DROP TABLE invitations;

CREATE TABLE org_invitations (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES accounts (id),
    token_hash TEXT NOT NULL UNIQUE,
    state      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    decided_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_invitations_org ON org_invitations (org_id, state, created_at);
CREATE INDEX org_invitations_email ON org_invitations (email, state);

-- Every verification decision on an organisation, newest last.
CREATE TABLE org_verifications (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    decision   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX org_verifications_org ON org_verifications (org_id, decided_at);

-- The mail outbox: written in the transaction that decides a mail is due,
-- sent after commit by one instance (lease "mail"). key makes a mail
-- unique, so a retried request never queues it twice; sent_at makes it
-- sent once. data is the template's JSON input, rendered at send time in
-- the recipient's language.
CREATE TABLE mail_outbox (
    key             TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    lang            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    category        TEXT NOT NULL,
    data            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    skipped         TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE org_verifications;
DROP TABLE org_invitations;
DROP TABLE account_tokens;
CREATE TABLE invitations (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, email)
);
ALTER TABLE accounts DROP COLUMN mail_opt_out;
ALTER TABLE accounts DROP COLUMN language;
ALTER TABLE accounts DROP COLUMN email_verified_at;
ALTER TABLE organizations DROP COLUMN verification_details;
