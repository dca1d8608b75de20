import type { Migration } from './types.js';

/**
 * Controlled communication: who wrote each draft and update (so nobody approves their own), updates
 * that wait for approval before they are public, approvals bound to the exact content approved, and
 * scheduled publication of drafts.
 */
export const twoPersonRule: Migration = {
  version: 6,
  name: 'two-person rule',
  sql: /* sql */ `
ALTER TABLE incidents ADD COLUMN created_by TEXT;          -- actor kind:id, e.g. user:4
ALTER TABLE incidents ADD COLUMN edited_by TEXT;           -- the last actor to change the content
ALTER TABLE incidents ADD COLUMN publish_at INTEGER;       -- a draft due to be published at this time
ALTER TABLE incident_updates ADD COLUMN created_by TEXT;
ALTER TABLE incident_updates ADD COLUMN published_at INTEGER; -- NULL: waiting for approval
UPDATE incident_updates SET published_at = created_at;

CREATE TABLE incident_approvals (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  update_id    INTEGER REFERENCES incident_updates (id) ON DELETE CASCADE,
  content_hash BLOB NOT NULL,  -- SHA-256 of exactly what was approved
  approver     TEXT NOT NULL,
  at           INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_approvals_incident ON incident_approvals (incident_id, update_id);
`,
};
