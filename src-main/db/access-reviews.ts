import type { Db } from './connection.js';
import { sql } from './statements.js';

export interface AccessReviewItem {
  readonly userId: number;
  readonly userEmail: string;
  readonly decision: 'confirmed' | 'changed' | 'disabled';
  readonly rolesBefore: readonly string[];
  readonly rolesAfter: readonly string[];
}

export interface AccessReviewRow {
  readonly id: number;
  readonly reviewerKind: string;
  readonly reviewerId: string | null;
  readonly completedAt: number;
  readonly note: string;
}

export function insertAccessReview(db: Db, r: Omit<AccessReviewRow, 'id'>, items: readonly AccessReviewItem[]): number {
  const id = Number(
    sql(db, 'INSERT INTO access_reviews (reviewer_kind, reviewer_id, completed_at, note) VALUES (?, ?, ?, ?)').run(r.reviewerKind, r.reviewerId, r.completedAt, r.note).lastInsertRowid,
  );
  const insert = sql(db, 'INSERT INTO access_review_items (review_id, user_id, user_email, decision, roles_before, roles_after) VALUES (?, ?, ?, ?, ?, ?)');
  for (const i of items) insert.run(id, i.userId, i.userEmail, i.decision, JSON.stringify(i.rolesBefore), JSON.stringify(i.rolesAfter));
  return id;
}

export function latestAccessReview(db: Db): AccessReviewRow | undefined {
  return sql(db, 'SELECT id, reviewer_kind AS reviewerKind, reviewer_id AS reviewerId, completed_at AS completedAt, note FROM access_reviews ORDER BY completed_at DESC, id DESC LIMIT 1').get() as
    | AccessReviewRow
    | undefined;
}

export function itemsOfAccessReview(db: Db, reviewId: number): AccessReviewItem[] {
  const rows = sql(db, 'SELECT user_id AS userId, user_email AS userEmail, decision, roles_before AS rb, roles_after AS ra FROM access_review_items WHERE review_id = ? ORDER BY user_id').all(reviewId) as (Omit<
    AccessReviewItem,
    'rolesBefore' | 'rolesAfter'
  > & { rb: string; ra: string })[];
  return rows.map(({ rb, ra, ...r }) => ({ ...r, rolesBefore: JSON.parse(rb) as string[], rolesAfter: JSON.parse(ra) as string[] }));
}
