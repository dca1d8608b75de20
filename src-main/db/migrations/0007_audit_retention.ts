import type { Migration } from './types.js';

/**
 * Retention: entries older than the policy allows may be pruned, but only by the application (the
 * delete trigger lets a delete through while a row in `audit_pruning` says a prune is under way, in
 * the same transaction), and every prune leaves a checkpoint — the last pruned entry's id and hash,
 * sealed with the chain key — so the chain that remains still verifies from its first entry.
 */
export const auditRetention: Migration = {
  version: 7,
  name: 'audit retention',
  sql: /* sql */ `
CREATE TABLE audit_pruning (id INTEGER PRIMARY KEY CHECK (id = 1)) STRICT;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM audit_pruning)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_checkpoints (
  id          INTEGER PRIMARY KEY,
  pruned_upto INTEGER NOT NULL,  -- the last entry removed
  head_hash   BLOB NOT NULL,     -- its chain hash: the first remaining entry follows from it
  mac         BLOB NOT NULL,     -- HMAC(k, pruned_upto ‖ head_hash)
  at          INTEGER NOT NULL
) STRICT;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
`,
};
