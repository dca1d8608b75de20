import type Database from 'better-sqlite3';

type Db = Database.Database;

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection. Values are always bound, never spliced in. */
export function sql(db: Db, text: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(text);
  if (!statement) {
    statement = db.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

/**
 * An ORDER BY clause from a caller's choice, checked against the columns the query allows. This is
 * the only place an identifier reaches SQL text (CVE-2021-39165 was a query parameter that did).
 */
export function orderBy<K extends string>(columns: Readonly<Record<K, string>>, key: K, direction: 'asc' | 'desc'): string {
  if (!Object.hasOwn(columns, key)) throw new Error(`sort key ${key} is not allowed`);
  return `ORDER BY ${columns[key]} ${direction === 'desc' ? 'DESC' : 'ASC'}, id ${direction === 'desc' ? 'DESC' : 'ASC'}`;
}

export const bool = (value: boolean): 0 | 1 => (value ? 1 : 0);
