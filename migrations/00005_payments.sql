-- Payments: the ledger, provider operations, connected accounts and webhook
-- events, shared by both engines. The triggers that keep ledger rows
-- immutable differ per engine and follow in 00006_ledger_immutable.*.sql.

-- +goose Up
-- Ledger: one row per balanced transaction, its entries beside it. Entries
-- and transactions are immutable (00006's triggers refuse UPDATE and DELETE);
-- a mistake is corrected by another transaction. Balances are the sums of
-- the entries; ledger_balances repeats them per account so a posting can
-- lock the accounts it touches (FOR UPDATE on PostgreSQL), and
-- `techbridge ledger check` proves the repetition equals the sums.
CREATE TABLE ledger_transactions (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    currency        TEXT NOT NULL,
    at              TIMESTAMP NOT NULL,
    deal_id         TEXT NOT NULL DEFAULT '',
    milestone_id    TEXT NOT NULL DEFAULT '',
    org_id          TEXT NOT NULL DEFAULT '',
    external_ref    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_transactions_deal ON ledger_transactions (deal_id, at);
CREATE INDEX ledger_transactions_milestone ON ledger_transactions (milestone_id);

CREATE TABLE ledger_entries (
    transaction_id TEXT NOT NULL REFERENCES ledger_transactions (id),
    line           INTEGER NOT NULL,
    account        TEXT NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount <> 0),
    currency       TEXT NOT NULL,
    PRIMARY KEY (transaction_id, line)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account, currency);

CREATE TABLE ledger_balances (
    account  TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance  BIGINT NOT NULL,
    PRIMARY KEY (account, currency)
);

-- What payments fixed for a deal at its first funding: the parties, the
-- provider the buyer pays through (refunds go back the same way) and the
-- platform fee; statements select an organisation's deals here.
CREATE TABLE payment_deals (
    deal_id              TEXT PRIMARY KEY,
    buyer_org_id         TEXT NOT NULL,
    seller_org_id        TEXT NOT NULL,
    intermediary_org_id  TEXT NOT NULL DEFAULT '',
    currency             TEXT NOT NULL,
    provider             TEXT NOT NULL,
    platform_bps         BIGINT NOT NULL,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX payment_deals_buyer ON payment_deals (buyer_org_id);
CREATE INDEX payment_deals_seller ON payment_deals (seller_org_id);
CREATE INDEX payment_deals_intermediary ON payment_deals (intermediary_org_id);

-- Every money movement at a provider: a buyer's funding, a refund, a
-- transfer or payout to a payee. idempotency_key is the key sent to the
-- provider, derived from domain ids, so one movement is asked for once.
CREATE TABLE payment_operations (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    provider         TEXT NOT NULL,
    state            TEXT NOT NULL,
    deal_id          TEXT NOT NULL DEFAULT '',
    milestone_id     TEXT NOT NULL DEFAULT '',
    org_id           TEXT NOT NULL DEFAULT '',
    amount           BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    external_ref     TEXT NOT NULL DEFAULT '',
    client_secret    TEXT NOT NULL DEFAULT '',
    provider_refunded BIGINT NOT NULL DEFAULT 0,
    note             TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL
);
CREATE INDEX payment_operations_milestone ON payment_operations (milestone_id, kind);
CREATE INDEX payment_operations_state ON payment_operations (kind, state, created_at);
CREATE INDEX payment_operations_external ON payment_operations (provider, external_ref);

-- Provider accounts of payees (Stripe Connect), tracked from account.updated.
CREATE TABLE payment_accounts (
    org_id            TEXT NOT NULL,
    provider          TEXT NOT NULL,
    external_id       TEXT NOT NULL UNIQUE,
    charges_enabled   BOOLEAN NOT NULL,
    payouts_enabled   BOOLEAN NOT NULL,
    details_submitted BOOLEAN NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, provider)
);

-- Webhook events, stored once by the provider's event id: a redelivery
-- finds its id taken and changes nothing.
CREATE TABLE webhook_events (
    provider    TEXT NOT NULL,
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    created     TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (provider, id)
);

-- +goose Down
DROP TABLE webhook_events;
DROP TABLE payment_accounts;
DROP TABLE payment_operations;
DROP TABLE payment_deals;
DROP TABLE ledger_balances;
DROP TABLE ledger_entries;
DROP TABLE ledger_transactions;
