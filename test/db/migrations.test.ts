import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, MigrationError, openDatabase } from '../../src-main/db/connection.js';
import { migrate } from '../../src-main/db/migrate.js';
import { MIGRATIONS } from '../../src-main/db/migrations/index.js';
import { tempDataDir } from '../helpers/store.js';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('opening the store', () => {
  it('creates a private data dir (0700) and database file (0600) with WAL and foreign keys on', () => {
    const dir = join(tempDataDir(), 'nested', 'data');
    const db = openDatabase(dir);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 0)").run();
      expect(statSync(join(dir, `${DATABASE_FILE}-wal`)).mode & 0o777).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('applies migrations once: reopening changes nothing', () => {
    const dir = tempDataDir();
    openDatabase(dir).close();
    const db = openDatabase(dir);
    try {
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer Cairn, and one whose applied migration was edited', () => {
    const dir = tempDataDir();
    openDatabase(dir).close();
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x', 0)").run();
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer than this Cairn/);

    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => migrate(db, edited)).toThrow(MigrationError);
  });

  it('refuses migrations with gaps in their versions', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'x', sql: '' }])).toThrow(/expected 1/);
  });
});

describe('migration 0001 (initial)', () => {
  it('creates the Cachet domain, the audit log and their constraints', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(tables(db)).toEqual([
      'audit_log', 'component_groups', 'component_status_history', 'component_tags', 'components', 'incident_updates', 'incidents',
      'metric_points', 'metrics', 'schedule_components', 'schedule_updates', 'schedules', 'schema_migrations', 'settings',
      'subscribers', 'subscriptions', 'tags',
    ]);
    // CHECK constraints back the schemas up: values outside Cachet's codes never reach a row.
    const insertComponent = db.prepare('INSERT INTO components (name, status, created_at, updated_at) VALUES (?, ?, 0, 0)');
    expect(() => insertComponent.run('x', 5)).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO metrics (name, suffix, description, threshold, created_at, updated_at) VALUES (?, ?, ?, 7, 0, 0)').run('m', '', '')).toThrow(/CHECK/);
    // Foreign keys are enforced.
    expect(() => db.prepare('INSERT INTO incident_updates (incident_id, status, message, message_html, created_at, updated_at) VALUES (999, 1, ?, ?, 0, 0)').run('m', 'm')).toThrow(/FOREIGN KEY/);
    // The audit log is append-only.
    db.prepare("INSERT INTO audit_log (at, actor_kind, client, action, outcome) VALUES (0, 'system', 'internal', 'x', 'ok')").run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    // Subscriber addresses are unique whatever their case.
    db.prepare("INSERT INTO subscribers (email, created_at, updated_at) VALUES ('a@example.com', 0, 0)").run();
    expect(() => db.prepare("INSERT INTO subscribers (email, created_at, updated_at) VALUES ('A@EXAMPLE.COM', 0, 0)").run()).toThrow(/UNIQUE/);
  });
});

describe('migration 0002 (identity)', () => {
  it('adds accounts, roles, sessions, 2FA, throttling and reviews on top of 0001, with the built-in roles and no users', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual([
      'access_review_items', 'access_reviews', 'recovery_codes', 'role_permissions', 'roles', 'sessions', 'sign_in_throttle', 'store_meta', 'user_roles', 'users',
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    expect((db.prepare('SELECT name FROM roles ORDER BY id').all() as { name: string }[]).map((r) => r.name)).toEqual([
      'Administrator', 'Incident Responder', 'Incident Author', 'Component Manager', 'Metrics Writer', 'Metrics Viewer', 'Subscriber Manager', 'Auditor',
    ]);
    // Each store gets its own random id (the name of its keys in the OS keychain).
    const other = new Database(':memory:');
    migrate(other, MIGRATIONS);
    const id = (d: Database.Database) => (d.prepare("SELECT value FROM store_meta WHERE key = 'store_id'").get() as { value: string }).value;
    expect(id(db)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(db)).not.toBe(id(other));
    // Constraints: e-mail unique whatever the case, statuses and stages closed, roles in use not deletable.
    const insertUser = db.prepare("INSERT INTO users (email, name, password_hash, password_changed_at, status, created_at, updated_at) VALUES (?, 'n', 'h', 0, ?, 0, 0)");
    insertUser.run('a@example.com', 'active');
    expect(() => insertUser.run('A@Example.com', 'active')).toThrow(/UNIQUE/);
    expect(() => insertUser.run('b@example.com', 'root')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO sessions (token_hash, user_id, stage, client, created_at, last_seen_at, authenticated_at) VALUES (x'00', 1, 'half', 'c', 0, 0, 0)").run()).toThrow(/CHECK/);
    db.prepare('INSERT INTO user_roles (user_id, role_id) VALUES (1, 8)').run();
    expect(() => db.prepare('DELETE FROM roles WHERE id = 8').run()).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0003 (api keys)', () => {
  it('adds the key table on top of 0002: public ids unique, owners real accounts that cannot vanish under a key', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['api_keys']);
    const insertKey = db.prepare("INSERT INTO api_keys (public_id, secret_hmac, name, owner_id, scopes, created_at) VALUES (?, x'00', 'k', ?, '[]', 0)");
    expect(() => insertKey.run('AAAAAAAAAAAA', 42)).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO users (email, name, password_hash, password_changed_at, created_at, updated_at) VALUES ('a@example.com', 'n', 'h', 0, 0, 0)").run();
    insertKey.run('AAAAAAAAAAAA', 1);
    expect(() => insertKey.run('AAAAAAAAAAAA', 1)).toThrow(/UNIQUE/);
    expect(() => db.prepare('DELETE FROM users WHERE id = 1').run()).toThrow(/FOREIGN KEY/);
    // The table has no column that could hold the key itself.
    const columns = (db.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('secret_hmac');
    expect(columns.filter((c) => /^(key|secret|token)$/.test(c))).toEqual([]);
  });
});

describe('migration 0004 (incident templates)', () => {
  it('adds templates with unique, URL-safe slugs', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 3));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 4));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['incident_templates']);
    const insert = db.prepare("INSERT INTO incident_templates (name, slug, template, created_at, updated_at) VALUES ('t', ?, 'x', 0, 0)");
    insert.run('db-slow');
    expect(() => insert.run('db-slow')).toThrow(/UNIQUE/);
    for (const bad of ['', 'Has Caps', '../x', 'a b']) expect(() => insert.run(bad), bad).toThrow(/CHECK/);
  });
});

describe('migration 0005 (audit chain)', () => {
  it('adds hash and seal columns to the audit log and an append-only review table', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 5));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['audit_reviews']);
    const columns = (db.prepare('PRAGMA table_info(audit_log)').all() as { name: string }[]).map((c) => c.name);
    expect(columns.slice(-2)).toEqual(['hash', 'mac']);
    db.prepare("INSERT INTO audit_reviews (reviewed_up_to, reviewer_kind, at) VALUES (1, 'local', 0)").run();
    expect(() => db.prepare('UPDATE audit_reviews SET reviewed_up_to = 9').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_reviews').run()).toThrow(/append-only/);
  });
});

describe('migration 0006 (two-person rule)', () => {
  it('records writers, pending updates and content-bound approvals; existing updates stay public', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare("INSERT INTO incidents (name, message, message_html, status, occurred_at, published_at, created_at, updated_at) VALUES ('i', 'm', 'm', 1, 0, 0, 0, 0)").run();
    db.prepare("INSERT INTO incident_updates (incident_id, status, message, message_html, created_at, updated_at) VALUES (1, 2, 'u', 'u', 5, 5)").run();
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 6));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['incident_approvals']);
    expect(db.prepare('SELECT published_at FROM incident_updates').get()).toEqual({ published_at: 5 });
    expect(() => db.prepare("INSERT INTO incident_approvals (incident_id, content_hash, approver, at) VALUES (99, x'00', 'user:1', 0)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO incident_approvals (incident_id, content_hash, approver, at) VALUES (1, x'00', 'user:1', 0)").run();
    db.prepare('DELETE FROM incidents WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) AS n FROM incident_approvals').get()).toEqual({ n: 0 });
  });
});

describe('migration 0007 (audit retention)', () => {
  it('lets a delete through only while a prune is marked under way, and keeps checkpoints append-only', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 6));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 7));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['audit_checkpoints', 'audit_pruning']);
    db.prepare("INSERT INTO audit_log (at, actor_kind, client, action, outcome) VALUES (0, 'system', 'internal', 'x', 'ok')").run();
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE audit_log SET action = ?').run('y')).toThrow(/append-only/);
    db.exec('INSERT INTO audit_pruning (id) VALUES (1); DELETE FROM audit_log; DELETE FROM audit_pruning;');
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    expect(() => db.prepare('INSERT INTO audit_pruning (id) VALUES (2)').run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO audit_checkpoints (pruned_upto, head_hash, mac, at) VALUES (1, x'00', x'00', 0)").run();
    expect(() => db.prepare('DELETE FROM audit_checkpoints').run()).toThrow(/append-only/);
  });
});

describe('migration 0008 (security alerts)', () => {
  it('adds the alert table', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 7));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 8));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['security_alerts']);
    expect(() => db.prepare("INSERT INTO security_alerts (audit_id, kind, at) VALUES (1, 'k', 0)").run()).toThrow(/NOT NULL/);
  });
});

describe('migration 0009 (site logo)', () => {
  it('adds a one-row logo table that takes only raster types and bounded sizes', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 8));
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 9));
    expect(tables(db).filter((t) => !before.includes(t))).toEqual(['site_logo']);
    const put = db.prepare('INSERT INTO site_logo (id, type, bytes, updated_at) VALUES (?, ?, ?, 0)');
    put.run(1, 'image/png', Buffer.from([1]));
    expect(() => put.run(2, 'image/png', Buffer.from([1]))).toThrow(/CHECK/);
    db.prepare('DELETE FROM site_logo').run();
    expect(() => put.run(1, 'image/svg+xml', Buffer.from('<svg/>'))).toThrow(/CHECK/);
    expect(() => put.run(1, 'image/png', Buffer.alloc(262_145))).toThrow(/CHECK/);
  });
});

describe('migration 0010 (notifications)', () => {
  it('adds providers and the outbox, opts existing subscribers out of component changes, and gives Administrators notifications.manage', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 9));
    db.prepare("INSERT INTO subscribers (email, created_at, updated_at) VALUES ('old@example.com', 0, 0)").run();
    const before = tables(db);
    migrate(db, MIGRATIONS.slice(0, 10));
    expect(tables(db).filter((t) => !before.includes(t)).sort()).toEqual(['notification_providers', 'outbox_deliveries', 'outbox_events']);
    expect(db.prepare('SELECT component_changes FROM subscribers').get()).toEqual({ component_changes: 0 });
    expect(db.prepare("SELECT role_id FROM role_permissions WHERE permission = 'notifications.manage'").all()).toEqual([{ role_id: 1 }]);
    expect(() => db.prepare("INSERT INTO notification_providers (kind, config, updated_at) VALUES ('pager', '{}', 0)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO notification_providers (kind, config, updated_at) VALUES ('smtp', 'not json', 0)").run()).toThrow(/CHECK/);
    expect(db.prepare("INSERT INTO notification_providers (kind, config, updated_at) VALUES ('smtp', '{}', 0) RETURNING enabled").get()).toEqual({ enabled: 0 });
    expect(() => db.prepare("INSERT INTO outbox_deliveries (channel, message, state, next_attempt_at, created_at) VALUES ('smtp', 'event', 'lost', 0, 0)").run()).toThrow(/CHECK/);
  });
});
