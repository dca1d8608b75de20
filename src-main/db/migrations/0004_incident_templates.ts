import type { Migration } from './types.js';

/**
 * Incident templates: canned messages with `{{ variable }}` placeholders. The text is stored as
 * written and only ever has placeholders replaced by plain values (never evaluated as code: Cachet's
 * Twig templates were CVE-2023-43661).
 */
export const incidentTemplates: Migration = {
  version: 4,
  name: 'incident templates',
  sql: /* sql */ `
CREATE TABLE incident_templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  slug       TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
  template   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`,
};
