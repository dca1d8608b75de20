import type { Migration } from './types.js';

/** Alerts raised by selected audit events (a new Administrator, 2FA turned off, …) until someone acknowledges them. */
export const securityAlerts: Migration = {
  version: 8,
  name: 'security alerts',
  sql: /* sql */ `
CREATE TABLE security_alerts (
  id              INTEGER PRIMARY KEY,
  audit_id        INTEGER NOT NULL,   -- the entry that raised it (kept even if the entry is pruned later)
  kind            TEXT NOT NULL,
  message         TEXT NOT NULL,
  at              INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT
) STRICT;
CREATE INDEX security_alerts_open ON security_alerts (acknowledged_at, id);
`,
};
