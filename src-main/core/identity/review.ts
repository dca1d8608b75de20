import { z } from 'zod';
import { insertAccessReview, itemsOfAccessReview, latestAccessReview, type AccessReviewItem } from '../../db/access-reviews.js';
import { countLiveApiKeys } from '../../db/api-keys.js';
import { rolesOfUser } from '../../db/roles.js';
import { getUser, listUsers } from '../../db/users.js';
import type { Db } from '../../db/connection.js';
import { describeActor } from '../actor.js';
import { CairnError } from '../errors.js';
import { defineOperation } from '../operation.js';
import { id, optionalLine } from '../schemas.js';
import { loadSecurityPolicy } from './policy.js';
import { assignRoles, disableAccount, summarizeUser, type UserSummary } from './users.js';

const DAY = 86_400_000;

/**
 * Access review: the periodic, recorded check that every account still needs the access it has.
 * Reviewers hold users.manage or audit.review; an Auditor can confirm, changing access needs
 * users.manage.
 */
const REVIEWERS = { anyOf: ['users.manage', 'audit.review'] } as const;

export interface ReviewStatus {
  readonly intervalDays: number;
  readonly inactiveAfterDays: number;
  readonly lastReview: { readonly id: number; readonly completedAt: number; readonly reviewer: string; readonly note: string; readonly items: AccessReviewItem[] } | null;
  /** When the next review is due; null if none was ever done (due now). */
  readonly dueAt: number | null;
  readonly overdue: boolean;
  readonly users: (UserSummary & { readonly inactive: boolean; readonly liveApiKeys: number })[];
}

/** When the next access review is due (null: none was ever done) and whether it is overdue. */
export function accessReviewDue(db: Db, now: number): { dueAt: number | null; overdue: boolean } {
  const last = latestAccessReview(db);
  const dueAt = last ? last.completedAt + loadSecurityPolicy(db).accessReviewDays * DAY : null;
  return { dueAt, overdue: dueAt === null ? listUsers(db).length > 0 : now >= dueAt };
}

export const reviewStatus = defineOperation({
  name: 'review.status',
  requires: REVIEWERS,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): ReviewStatus {
    const policy = loadSecurityPolicy(ctx.db);
    const last = latestAccessReview(ctx.db);
    const { dueAt, overdue } = accessReviewDue(ctx.db, ctx.now);
    const inactiveSince = ctx.now - policy.inactiveAccountDays * DAY;
    const users = listUsers(ctx.db).map((u) => ({
      ...summarizeUser(ctx.db, u),
      inactive: u.status === 'active' && (u.lastActiveAt ?? u.createdAt) < inactiveSince,
      liveApiKeys: countLiveApiKeys(ctx.db, u.id, ctx.now),
    }));
    return {
      intervalDays: policy.accessReviewDays,
      inactiveAfterDays: policy.inactiveAccountDays,
      lastReview: last
        ? { id: last.id, completedAt: last.completedAt, reviewer: last.reviewerId ? `${last.reviewerKind} ${last.reviewerId}` : last.reviewerKind, note: last.note, items: itemsOfAccessReview(ctx.db, last.id) }
        : null,
      dueAt,
      overdue,
      users,
    };
  },
});

const Decision = z.discriminatedUnion('decision', [
  z.strictObject({ userId: id, decision: z.literal('confirm') }),
  z.strictObject({ userId: id, decision: z.literal('change'), roles: z.array(z.string().trim().min(1).max(60)).max(20) }),
  z.strictObject({ userId: id, decision: z.literal('disable') }),
]);

/**
 * Records a completed review: one decision for every active account (a review that skips someone
 * is not a review). Changes are applied with the same guard rails as the user operations and
 * audited each on their own, then the review itself.
 */
export const recordReview = defineOperation({
  name: 'review.record',
  requires: REVIEWERS,
  input: z.strictObject({ note: optionalLine(1000).default(''), decisions: z.array(Decision).max(10_000) }),
  run(ctx, input): { id: number; confirmed: number; changed: number; disabled: number } {
    const decided = new Map<number, z.output<typeof Decision>>();
    input.decisions.forEach((d, i) => {
      if (decided.has(d.userId)) throw new CairnError('invalid_input', `decisions.${i}.userId: user ${d.userId} is decided twice`, `decisions.${i}.userId`);
      if (!getUser(ctx.db, d.userId)) throw new CairnError('invalid_input', `decisions.${i}.userId: user ${d.userId} does not exist`, `decisions.${i}.userId`);
      decided.set(d.userId, d);
    });
    const missing = listUsers(ctx.db).filter((u) => u.status === 'active' && !decided.has(u.id));
    if (missing.length > 0) {
      throw new CairnError('invalid_input', `decisions: every active account needs a decision; missing ${missing.map((u) => u.email).join(', ')}`, 'decisions');
    }
    if ([...decided.values()].some((d) => d.decision !== 'confirm')) {
      if (!ctx.can('users.manage')) throw new CairnError('forbidden', 'Changing access during a review needs the users.manage permission');
      ctx.requireRecentAuth();
    }
    const items: AccessReviewItem[] = [];
    for (const d of decided.values()) {
      const user = getUser(ctx.db, d.userId)!;
      const before = rolesOfUser(ctx.db, user.id);
      if (d.decision === 'change') {
        const { after } = assignRoles(ctx, user, d.roles);
        items.push({ userId: user.id, userEmail: user.email, decision: 'changed', rolesBefore: before, rolesAfter: after });
      } else if (d.decision === 'disable') {
        disableAccount(ctx, user);
        items.push({ userId: user.id, userEmail: user.email, decision: 'disabled', rolesBefore: before, rolesAfter: before });
      } else {
        items.push({ userId: user.id, userEmail: user.email, decision: 'confirmed', rolesBefore: before, rolesAfter: before });
      }
    }
    const reviewer = describeActor(ctx.actor);
    const reviewId = insertAccessReview(ctx.db, { reviewerKind: reviewer.kind, reviewerId: reviewer.id, completedAt: ctx.now, note: input.note }, items);
    const count = (decision: AccessReviewItem['decision']) => items.filter((i) => i.decision === decision).length;
    const summary = { id: reviewId, confirmed: count('confirmed'), changed: count('changed'), disabled: count('disabled') };
    ctx.audit({ action: 'review.record', targetType: 'accessReview', targetId: reviewId, details: { ...summary, note: input.note } });
    return summary;
  },
});
