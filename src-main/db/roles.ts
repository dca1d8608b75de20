import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface RoleRow {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly builtIn: boolean;
  readonly permissions: string[];
  readonly members: number;
}

type RawRole = Omit<RoleRow, 'builtIn' | 'permissions'> & { builtIn: number };

const ROLE_COLUMNS = `id, name, description, built_in AS builtIn,
  (SELECT count(*) FROM user_roles ur WHERE ur.role_id = roles.id) AS members`;

function toRole(db: Db, r: RawRole): RoleRow {
  const permissions = (sql(db, 'SELECT permission FROM role_permissions WHERE role_id = ? ORDER BY permission').all(r.id) as { permission: string }[]).map((p) => p.permission);
  return { ...r, builtIn: r.builtIn === 1, permissions };
}

export function listRoles(db: Db): RoleRow[] {
  return (sql(db, `SELECT ${ROLE_COLUMNS} FROM roles ORDER BY built_in DESC, id`).all() as RawRole[]).map((r) => toRole(db, r));
}

export function findRoleByName(db: Db, name: string): RoleRow | undefined {
  const raw = sql(db, `SELECT ${ROLE_COLUMNS} FROM roles WHERE name = ?`).get(name) as RawRole | undefined;
  return raw && toRole(db, raw);
}

export function getRole(db: Db, id: number): RoleRow | undefined {
  const raw = sql(db, `SELECT ${ROLE_COLUMNS} FROM roles WHERE id = ?`).get(id) as RawRole | undefined;
  return raw && toRole(db, raw);
}

export function insertRole(db: Db, r: { name: string; description: string; permissions: readonly string[] }, at: number): number {
  const id = Number(sql(db, 'INSERT INTO roles (name, description, built_in, created_at, updated_at) VALUES (?, ?, 0, ?, ?)').run(r.name, r.description, at, at).lastInsertRowid);
  setRolePermissions(db, id, r.permissions);
  return id;
}

export function updateRole(db: Db, id: number, r: { name: string; description: string; permissions: readonly string[] }, at: number): void {
  sql(db, 'UPDATE roles SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(r.name, r.description, at, id);
  setRolePermissions(db, id, r.permissions);
}

function setRolePermissions(db: Db, roleId: number, permissions: readonly string[]): void {
  sql(db, 'DELETE FROM role_permissions WHERE role_id = ?').run(roleId);
  const insert = sql(db, 'INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)');
  for (const p of permissions) insert.run(roleId, p);
}

export function deleteRole(db: Db, id: number): void {
  sql(db, 'DELETE FROM roles WHERE id = ?').run(id);
}

/** Role names of a user, alphabetical. */
export function rolesOfUser(db: Db, userId: number): string[] {
  return (sql(db, 'SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.name').all(userId) as { name: string }[]).map((r) => r.name);
}

export function setUserRoles(db: Db, userId: number, roleIds: readonly number[]): void {
  sql(db, 'DELETE FROM user_roles WHERE user_id = ?').run(userId);
  const insert = sql(db, 'INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)');
  for (const id of roleIds) insert.run(userId, id);
}

/** The union of the permissions of an active user's roles, read afresh (no cache). */
export function permissionsOfUser(db: Db, userId: number): string[] {
  return (
    sql(
      db,
      `SELECT DISTINCT rp.permission FROM users u
       JOIN user_roles ur ON ur.user_id = u.id
       JOIN role_permissions rp ON rp.role_id = ur.role_id
       WHERE u.id = ? AND u.status = 'active'`,
    ).all(userId) as { permission: string }[]
  ).map((r) => r.permission);
}

/** Active users holding the role with this id (the Administrator role is id 1). */
export function activeMembers(db: Db, roleId: number): number[] {
  return (sql(db, "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE ur.role_id = ? AND u.status = 'active'").all(roleId) as { id: number }[]).map((r) => r.id);
}
