import type { Migration } from './types.js';

/**
 * A counter of changes to what the public pages show, raised by triggers on exactly the tables
 * they read (PUBLIC_OUTPUT_TABLES). The page cache follows it instead of every change to the store,
 * so a stream of metric points (which the status page does not show: its charts load their data
 * separately) or of audit entries and key-use telemetry no longer makes it re-render the page.
 * Being in the file, it also moves with writes by other processes (the CLI).
 */
export const PUBLIC_OUTPUT_TABLES = [
  'components', 'component_groups', 'component_status_history', 'component_tags', 'tags',
  'incidents', 'incident_updates', 'schedules', 'schedule_components', 'schedule_updates',
  'metrics', 'settings', 'site_logo', 'notification_providers',
] as const;

const EVENTS = ['insert', 'update', 'delete'] as const;

export const publicVersion: Migration = {
  version: 11,
  name: 'public output version',
  sql: /* sql */ `
CREATE TABLE public_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO public_version (id, n) VALUES (1, 0);
${PUBLIC_OUTPUT_TABLES.flatMap((table) =>
  EVENTS.map((event) => `CREATE TRIGGER public_version_${table}_${event} AFTER ${event.toUpperCase()} ON ${table} BEGIN UPDATE public_version SET n = n + 1; END;`),
).join('\n')}
`,
};
