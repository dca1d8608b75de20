import type { Migration } from './types.js';

/**
 * Users, roles and their permissions, sessions, 2FA and recovery codes, sign-in throttling, and
 * access reviews. No secret is stored in the clear: passwords as argon2id hashes, TOTP secrets
 * encrypted (AES-256-GCM, key in the OS keychain), session tokens and recovery codes as SHA-256
 * of high-entropy random values. The built-in roles are seeded here; no user is (no default
 * accounts: the first Administrator is created explicitly).
 */
export const identity: Migration = {
  version: 2,
  name: 'identity',
  sql: /* sql */ `
-- A random id for this store: the OS keychain files this store's keys under it, so two stores on
-- one machine never share keys and a store keeps its keys when its folder moves.
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(16))));

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  email                TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name                 TEXT NOT NULL,
  password_hash        TEXT NOT NULL,              -- argon2id PHC string
  password_changed_at  INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  totp_secret          BLOB,                       -- encrypted; NULL without 2FA
  totp_pending_secret  BLOB,                       -- encrypted; an enrolment awaiting its first code
  totp_enabled_at      INTEGER,
  totp_last_step       INTEGER NOT NULL DEFAULT 0, -- newest time step accepted: never accepted again
  last_sign_in_at      INTEGER,
  last_active_at       INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE roles (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  built_in    INTEGER NOT NULL DEFAULT 0 CHECK (built_in IN (0, 1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE role_permissions (
  role_id    INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role_id, permission)
) STRICT, WITHOUT ROWID;

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
  PRIMARY KEY (user_id, role_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_roles_role ON user_roles (role_id);

CREATE TABLE recovery_codes (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL UNIQUE,                  -- SHA-256 of a 100-bit random code
  used_at   INTEGER
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE sessions (
  id               INTEGER PRIMARY KEY,
  token_hash       BLOB NOT NULL UNIQUE,           -- SHA-256 of a 256-bit random token
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  stage            TEXT NOT NULL CHECK (stage IN ('mfa', 'setup', 'full')),
  client           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  last_seen_at     INTEGER NOT NULL,
  authenticated_at INTEGER NOT NULL,               -- last proof of password (+ 2FA)
  mfa_failures     INTEGER NOT NULL DEFAULT 0,
  ended_at         INTEGER,
  end_reason       TEXT
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id, ended_at);

-- Failed sign-ins by the SHA-256 of the normalised e-mail address, whether or not an account has
-- it, so the lockout behaves the same for unknown addresses and reveals nothing.
CREATE TABLE sign_in_throttle (
  email_hash      BLOB PRIMARY KEY,
  failures        INTEGER NOT NULL,
  locked_until    INTEGER NOT NULL DEFAULT 0,
  last_failure_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE access_reviews (
  id            INTEGER PRIMARY KEY,
  reviewer_kind TEXT NOT NULL,
  reviewer_id   TEXT,
  completed_at  INTEGER NOT NULL,
  note          TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE access_review_items (
  review_id    INTEGER NOT NULL REFERENCES access_reviews (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL,
  user_email   TEXT NOT NULL,
  decision     TEXT NOT NULL CHECK (decision IN ('confirmed', 'changed', 'disabled')),
  roles_before TEXT NOT NULL,                      -- JSON array of role names
  roles_after  TEXT NOT NULL,
  PRIMARY KEY (review_id, user_id)
) STRICT, WITHOUT ROWID;

INSERT INTO roles (id, name, description, built_in, created_at, updated_at) VALUES
  (1, 'Administrator', 'Everything, including users, roles, API keys and settings', 1, 0, 0),
  (2, 'Incident Responder', 'Handles incidents end to end: writes and publishes them, sets component status, plans maintenance', 1, 0, 0),
  (3, 'Incident Author', 'Writes incident drafts and updates; cannot publish', 1, 0, 0),
  (4, 'Component Manager', 'Manages components and groups', 1, 0, 0),
  (5, 'Metrics Writer', 'Manages metrics and posts points', 1, 0, 0),
  (6, 'Metrics Viewer', 'Reads metrics', 1, 0, 0),
  (7, 'Subscriber Manager', 'Manages subscribers and their subscriptions', 1, 0, 0),
  (8, 'Auditor', 'Reads and reviews the audit log and who has access; changes nothing else', 1, 0, 0);

INSERT INTO role_permissions (role_id, permission) VALUES
  (1, 'components.read'), (1, 'components.write'), (1, 'incidents.read'), (1, 'incidents.write'),
  (1, 'incidents.publish'), (1, 'incidents.approve'), (1, 'maintenance.read'), (1, 'maintenance.write'),
  (1, 'metrics.read'), (1, 'metrics.write'), (1, 'subscribers.read'), (1, 'subscribers.write'),
  (1, 'users.read'), (1, 'users.manage'), (1, 'apikeys.manage'), (1, 'audit.read'), (1, 'audit.review'),
  (1, 'settings.manage'),
  (2, 'incidents.read'), (2, 'incidents.write'), (2, 'incidents.publish'), (2, 'components.read'),
  (2, 'components.write'), (2, 'maintenance.read'), (2, 'maintenance.write'),
  (3, 'incidents.read'), (3, 'incidents.write'),
  (4, 'components.read'), (4, 'components.write'),
  (5, 'metrics.read'), (5, 'metrics.write'),
  (6, 'metrics.read'),
  (7, 'subscribers.read'), (7, 'subscribers.write'),
  (8, 'audit.read'), (8, 'audit.review'), (8, 'users.read');
`,
};
