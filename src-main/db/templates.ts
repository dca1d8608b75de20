import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface TemplateRow {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly template: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export type TemplateFields = Pick<TemplateRow, 'name' | 'slug' | 'template'>;

const COLUMNS = 'id, name, slug, template, created_at AS createdAt, updated_at AS updatedAt';

export function getTemplate(db: Db, id: number): TemplateRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM incident_templates WHERE id = ?`).get(id) as TemplateRow | undefined;
}

export function findTemplateBySlug(db: Db, slug: string): TemplateRow | undefined {
  return sql(db, `SELECT ${COLUMNS} FROM incident_templates WHERE slug = ?`).get(slug) as TemplateRow | undefined;
}

export function listTemplates(db: Db, limit: number, offset: number): { rows: TemplateRow[]; total: number } {
  const rows = sql(db, `SELECT ${COLUMNS} FROM incident_templates ORDER BY name, id LIMIT ? OFFSET ?`).all(limit, offset) as TemplateRow[];
  const { total } = sql(db, 'SELECT count(*) AS total FROM incident_templates').get() as { total: number };
  return { rows, total };
}

export function insertTemplate(db: Db, f: TemplateFields, at: number): number {
  return Number(sql(db, 'INSERT INTO incident_templates (name, slug, template, created_at, updated_at) VALUES (@name, @slug, @template, @at, @at)').run({ ...f, at }).lastInsertRowid);
}

export function updateTemplateRow(db: Db, id: number, f: TemplateFields, at: number): void {
  sql(db, 'UPDATE incident_templates SET name = @name, slug = @slug, template = @template, updated_at = @at WHERE id = @id').run({ ...f, at, id });
}

export function deleteTemplateRow(db: Db, id: number): void {
  sql(db, 'DELETE FROM incident_templates WHERE id = ?').run(id);
}
