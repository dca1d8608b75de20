import type { Migration } from './types.js';

/**
 * The Cachet domain: components and groups (with status history for uptime), incidents and their
 * updates, scheduled maintenance, metrics with points, subscribers, settings, and the audit log.
 * Times are INTEGER milliseconds since the epoch, UTC. Markdown is stored twice: the source the
 * author wrote and the sanitized HTML rendered once at write time (never transformed afterwards).
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,            -- JSON
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE component_groups (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  collapsed  INTEGER NOT NULL DEFAULT 0 CHECK (collapsed IN (0, 1, 2)),
  visible    INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE components (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  description_html TEXT NOT NULL DEFAULT '',
  status           INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3, 4, 6)),
  sort_order       INTEGER NOT NULL DEFAULT 0,
  group_id         INTEGER REFERENCES component_groups (id) ON DELETE SET NULL,
  link             TEXT,
  enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  meta             TEXT,                -- JSON object or NULL
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX components_group ON components (group_id, sort_order);

CREATE TABLE tags (
  id   INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE component_tags (
  component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  tag_id       INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (component_id, tag_id)
) STRICT, WITHOUT ROWID;

-- Every status a component has had, for the public uptime history.
CREATE TABLE component_status_history (
  id           INTEGER PRIMARY KEY,
  component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  status       INTEGER NOT NULL,
  changed_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX component_status_history_component ON component_status_history (component_id, changed_at);

CREATE TABLE incidents (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  message          TEXT NOT NULL,
  message_html     TEXT NOT NULL,
  status           INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
  visible          INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1)),
  stickied         INTEGER NOT NULL DEFAULT 0 CHECK (stickied IN (0, 1)),
  component_id     INTEGER REFERENCES components (id) ON DELETE SET NULL,
  component_status INTEGER CHECK (component_status IN (0, 1, 2, 3, 4, 6)), -- applied when published
  occurred_at      INTEGER NOT NULL,
  published_at     INTEGER,             -- NULL: a draft, never public
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX incidents_occurred ON incidents (occurred_at);

CREATE TABLE incident_updates (
  id               INTEGER PRIMARY KEY,
  incident_id      INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  status           INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
  message          TEXT NOT NULL,
  message_html     TEXT NOT NULL,
  component_id     INTEGER REFERENCES components (id) ON DELETE SET NULL,
  component_status INTEGER CHECK (component_status IN (0, 1, 2, 3, 4, 6)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, created_at);

CREATE TABLE schedules (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  message      TEXT NOT NULL DEFAULT '',
  message_html TEXT NOT NULL DEFAULT '',
  status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
  scheduled_at INTEGER NOT NULL,
  completed_at INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX schedules_scheduled ON schedules (scheduled_at);

CREATE TABLE schedule_components (
  schedule_id      INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  component_id     INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  component_status INTEGER NOT NULL CHECK (component_status IN (0, 1, 2, 3, 4, 6)),
  PRIMARY KEY (schedule_id, component_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE schedule_updates (
  id           INTEGER PRIMARY KEY,
  schedule_id  INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  status       INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
  message      TEXT NOT NULL,
  message_html TEXT NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX schedule_updates_schedule ON schedule_updates (schedule_id, created_at);

CREATE TABLE metrics (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  suffix        TEXT NOT NULL,
  description   TEXT NOT NULL,
  default_value REAL NOT NULL DEFAULT 0,
  calc_type     INTEGER NOT NULL DEFAULT 0 CHECK (calc_type IN (0, 1)),
  display_chart INTEGER NOT NULL DEFAULT 1 CHECK (display_chart IN (0, 1)),
  places        INTEGER NOT NULL DEFAULT 2 CHECK (places BETWEEN 0 AND 4),
  default_view  INTEGER NOT NULL DEFAULT 1 CHECK (default_view BETWEEN 0 AND 3),
  threshold     INTEGER NOT NULL DEFAULT 5 CHECK (threshold BETWEEN 1 AND 60 AND 60 % threshold = 0),
  sort_order    INTEGER NOT NULL DEFAULT 0,
  visible       INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1, 2)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

-- Cachet's counter semantics: one row per (metric, threshold window, value); a repeat of the same
-- value inside the window increments counter, and calculated_value = value * counter.
CREATE TABLE metric_points (
  id         INTEGER PRIMARY KEY,
  metric_id  INTEGER NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  value      REAL NOT NULL,
  counter    INTEGER NOT NULL DEFAULT 1 CHECK (counter >= 1),
  created_at INTEGER NOT NULL,          -- start of the threshold window
  updated_at INTEGER NOT NULL,
  UNIQUE (metric_id, created_at, value)
) STRICT;

CREATE TABLE subscribers (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  global      INTEGER NOT NULL DEFAULT 1 CHECK (global IN (0, 1)),
  verified_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  component_id  INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  UNIQUE (subscriber_id, component_id)
) STRICT;

-- Append-only: the application only inserts. The tamper-evident hash chain comes on top of this.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor_kind  TEXT NOT NULL,
  actor_id    TEXT,
  client      TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  details     TEXT                      -- JSON: before/after of changed fields, never secrets
) STRICT;
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
};
