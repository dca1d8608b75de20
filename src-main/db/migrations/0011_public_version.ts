import type { Migration } from './types.js';

/**
 * A counter of changes to what the public pages show, raised by triggers on exactly the tables
 * they read (PUBLIC_OUTPUT_TABLES). The page cache follows it instead of every change to the store,
 * so a stream of metric points (which the status page does not show: its charts load their data
 * separately) or of audit entries and key-use telemetry no longer makes it re-render the page.
 * Being in the file, it also moves with writes by other processes (the CLI).
 */
export const PUBLIC_OUTPUT_TABLES = ['components', 'component_groups', 'component_status_history', 'component_tags', 'tags', 'incidents', 'incident_updates', 'schedules', 'schedule_components', 'schedule_updates', 'metrics', 'settings', 'site_logo', 'notification_providers'] as const;

export const publicVersion: Migration = {
  version: 11,
  name: 'public output version',
  sql: /* sql */ `
CREATE TABLE public_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO public_version (id, n) VALUES (1, 0);
CREATE TRIGGER public_version_components_insert AFTER INSERT ON components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_components_update AFTER UPDATE ON components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_components_delete AFTER DELETE ON components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_groups_insert AFTER INSERT ON component_groups BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_groups_update AFTER UPDATE ON component_groups BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_groups_delete AFTER DELETE ON component_groups BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_status_history_insert AFTER INSERT ON component_status_history BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_status_history_update AFTER UPDATE ON component_status_history BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_status_history_delete AFTER DELETE ON component_status_history BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_tags_insert AFTER INSERT ON component_tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_tags_update AFTER UPDATE ON component_tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_component_tags_delete AFTER DELETE ON component_tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_tags_insert AFTER INSERT ON tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_tags_update AFTER UPDATE ON tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_tags_delete AFTER DELETE ON tags BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incidents_insert AFTER INSERT ON incidents BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incidents_update AFTER UPDATE ON incidents BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incidents_delete AFTER DELETE ON incidents BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incident_updates_insert AFTER INSERT ON incident_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incident_updates_update AFTER UPDATE ON incident_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_incident_updates_delete AFTER DELETE ON incident_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedules_insert AFTER INSERT ON schedules BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedules_update AFTER UPDATE ON schedules BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedules_delete AFTER DELETE ON schedules BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_components_insert AFTER INSERT ON schedule_components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_components_update AFTER UPDATE ON schedule_components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_components_delete AFTER DELETE ON schedule_components BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_updates_insert AFTER INSERT ON schedule_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_updates_update AFTER UPDATE ON schedule_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_schedule_updates_delete AFTER DELETE ON schedule_updates BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_metrics_insert AFTER INSERT ON metrics BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_metrics_update AFTER UPDATE ON metrics BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_metrics_delete AFTER DELETE ON metrics BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_settings_insert AFTER INSERT ON settings BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_settings_update AFTER UPDATE ON settings BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_settings_delete AFTER DELETE ON settings BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_site_logo_insert AFTER INSERT ON site_logo BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_site_logo_update AFTER UPDATE ON site_logo BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_site_logo_delete AFTER DELETE ON site_logo BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_notification_providers_insert AFTER INSERT ON notification_providers BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_notification_providers_update AFTER UPDATE ON notification_providers BEGIN UPDATE public_version SET n = n + 1; END;
CREATE TRIGGER public_version_notification_providers_delete AFTER DELETE ON notification_providers BEGIN UPDATE public_version SET n = n + 1; END;
`,
};
