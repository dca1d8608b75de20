import type { Migration } from './types.js';

/**
 * API keys: one per integration. The key itself is never stored: only HMAC-SHA256 of it under a
 * pepper kept in the OS keychain, so a copy of the database file does not yield working keys.
 * `public_id` is the non-secret part of the key, used to find the row before the constant-time
 * comparison. Keys are never deleted, only revoked or expired, so the audit trail keeps its names.
 */
export const apiKeys: Migration = {
  version: 3,
  name: 'api keys',
  sql: /* sql */ `
CREATE TABLE api_keys (
  id            INTEGER PRIMARY KEY,
  public_id     TEXT NOT NULL UNIQUE,
  secret_hmac   BLOB NOT NULL,
  name          TEXT NOT NULL,
  owner_id      INTEGER REFERENCES users(id) ON DELETE RESTRICT, -- NULL: issued by the local operator
  scopes        TEXT NOT NULL,                                  -- JSON array of permission names
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,                                        -- NULL: no expiry (only if the policy allows)
  revoked_at    INTEGER,
  rotated_from  INTEGER REFERENCES api_keys(id),
  last_used_at  INTEGER,
  last_used_ip  TEXT,
  use_count     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX api_keys_owner ON api_keys(owner_id);
`,
};
