import type { Migration } from './types.js';

/**
 * Notifications: subscribers opt in to component status changes; providers (SMTP, webhook, Slack)
 * keep their non-secret settings here (credentials live in the OS keychain) and start disabled;
 * a durable outbox holds each event, written in the transaction that caused it, and one delivery
 * per recipient, which the worker leases, sends and settles (retries with backoff, no loss).
 * The Administrator role gains the new notifications.manage permission.
 */
export const notifications: Migration = {
  version: 10,
  name: 'notifications',
  sql: /* sql */ `
ALTER TABLE subscribers ADD COLUMN component_changes INTEGER NOT NULL DEFAULT 0 CHECK (component_changes IN (0, 1));

CREATE TABLE notification_providers (
  kind       TEXT PRIMARY KEY CHECK (kind IN ('smtp', 'webhook', 'slack')),
  enabled    INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  config     TEXT NOT NULL CHECK (json_valid(config)),   -- never a credential
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE outbox_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          TEXT NOT NULL,
  payload       TEXT NOT NULL CHECK (json_valid(payload)),
  component_ids TEXT NOT NULL CHECK (json_valid(component_ids)),  -- affected components, for routing
  created_at    INTEGER NOT NULL,
  expanded_at   INTEGER                                           -- deliveries written
) STRICT;
CREATE INDEX outbox_events_unexpanded ON outbox_events (expanded_at, id);

CREATE TABLE outbox_deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        INTEGER REFERENCES outbox_events (id) ON DELETE CASCADE,   -- null: a subscription mail
  channel         TEXT NOT NULL CHECK (channel IN ('smtp', 'webhook', 'slack')),
  subscriber_id   INTEGER REFERENCES subscribers (id) ON DELETE CASCADE,
  message         TEXT NOT NULL CHECK (message IN ('event', 'confirm', 'manage')),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  settled_at      INTEGER,
  UNIQUE (event_id, channel, subscriber_id)
) STRICT;
CREATE INDEX outbox_deliveries_due ON outbox_deliveries (state, next_attempt_at);

INSERT INTO role_permissions (role_id, permission) VALUES (1, 'notifications.manage');
`,
};
