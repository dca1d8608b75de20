import type { Migration } from './types.js';

/**
 * The audit log becomes tamper-evident: each entry carries `hash` = SHA-256(previous hash ‖ the
 * entry in canonical form) and `mac` = HMAC-SHA256(k, hash) under a key kept in the OS keychain.
 * Whoever edits, deletes, inserts or reorders rows behind the application's back — even after
 * dropping the triggers — must recompute the chain, and cannot recompute the MACs without k.
 * Reviews record "reviewed up to entry N"; checkpoints keep the chain verifiable across pruning.
 */
export const auditChain: Migration = {
  version: 5,
  name: 'audit chain',
  sql: /* sql */ `
ALTER TABLE audit_log ADD COLUMN hash BLOB;  -- NULL only for entries written before this migration
ALTER TABLE audit_log ADD COLUMN mac BLOB;   -- NULL while the keychain key could not be read

CREATE TABLE audit_reviews (
  id             INTEGER PRIMARY KEY,
  reviewed_up_to INTEGER NOT NULL,
  reviewer_kind  TEXT NOT NULL,
  reviewer_id    TEXT,
  note           TEXT NOT NULL DEFAULT '',
  at             INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_reviews_no_update BEFORE UPDATE ON audit_reviews
  BEGIN SELECT RAISE(ABORT, 'audit_reviews is append-only'); END;
CREATE TRIGGER audit_reviews_no_delete BEFORE DELETE ON audit_reviews
  BEGIN SELECT RAISE(ABORT, 'audit_reviews is append-only'); END;
`,
};
