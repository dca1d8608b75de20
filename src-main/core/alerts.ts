import { z } from 'zod';
import { acknowledgeAlert, alertRaisedSince, countFailedSince, getAlert, insertAlert, listAlerts, type AlertRow } from '../db/alerts.js';
import type { StoredAuditEntry } from '../db/audit.js';
import type { Db } from '../db/connection.js';
import { actorLabel } from './communication.js';
import { CairnError, notFound } from './errors.js';
import { defineOperation } from './operation.js';
import { flag, id, int } from './schemas.js';

/**
 * Security alerts: audit events an Administrator should hear of without reading the log. They are
 * raised as the entry is written (same transaction) and stay open in the console until someone
 * acknowledges them. (Sending them through a notification provider comes with the providers.)
 */

const FAILED_SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Failed sign-ins across all accounts within the window that raise an alert. */
export const FAILED_SIGN_IN_THRESHOLD = 10;

type Details = Record<string, unknown> | null;
const parse = (details: string | null): Details => (details === null ? null : (JSON.parse(details) as Details));
const includesAdmin = (roles: unknown): boolean => Array.isArray(roles) && roles.includes('Administrator');

/** The alert an entry raises, if any: kind and a sentence for the console. */
function alertFor(db: Db, e: StoredAuditEntry): { kind: string; message: string } | undefined {
  const d = parse(e.details);
  const who = e.actorId ? `${e.actorKind} ${e.actorId}` : e.actorKind;
  if (e.outcome === 'ok' && e.action === 'user.create' && includesAdmin(d?.roles)) return { kind: 'new-administrator', message: `New Administrator account ${String(d?.email)} created by ${who}` };
  if (e.outcome === 'ok' && e.action === 'user.setRoles' && Array.isArray(d?.roles) && !includesAdmin(d.roles[0]) && includesAdmin(d.roles[1])) {
    return { kind: 'new-administrator', message: `User ${e.targetId} made Administrator by ${who}` };
  }
  if (e.outcome === 'ok' && (e.action === 'account.twoFactor.disable' || e.action === 'user.resetTwoFactor')) return { kind: 'two-factor-disabled', message: `Two-factor authentication turned off for user ${e.targetId} by ${who}` };
  if (e.outcome === 'ok' && e.action === 'security.update' && Array.isArray(d?.require2fa) && d.require2fa[1] !== 'all') return { kind: 'two-factor-disabled', message: `2FA policy changed from ${String(d.require2fa[0])} to ${String(d.require2fa[1])} by ${who}` };
  if (e.outcome === 'ok' && e.action === 'apikey.create' && d?.writeScopes === true) return { kind: 'write-key-created', message: `API key ${e.targetId} with write scopes (${(d.scopes as string[]).join(', ')}) created by ${who}` };
  if (e.action === 'audit.verify' && e.outcome === 'failed') return { kind: 'audit-chain-broken', message: 'The audit log failed verification' };
  if (e.action === 'auth.signIn' && e.outcome === 'failed') {
    const since = e.at - FAILED_SIGN_IN_WINDOW_MS;
    if (countFailedSince(db, 'auth.signIn', since) >= FAILED_SIGN_IN_THRESHOLD && !alertRaisedSince(db, 'failed-sign-ins', since)) {
      return { kind: 'failed-sign-ins', message: `${FAILED_SIGN_IN_THRESHOLD} or more failed sign-ins in 15 minutes` };
    }
  }
  return undefined;
}

/** Called for every audit entry as it is written, in its transaction. */
export function raiseAlerts(db: Db, auditId: number, entry: StoredAuditEntry): void {
  const alert = alertFor(db, entry);
  if (alert) insertAlert(db, { auditId, ...alert }, entry.at);
}

const ALERT_READERS = { anyOf: ['users.manage', 'audit.read'] } as const;

export const listAlertsOp = defineOperation({
  name: 'alert.list',
  requires: ALERT_READERS,
  readOnly: true,
  input: z.strictObject({ open: flag.default(true), limit: int(1, 500).default(100) }),
  run: (ctx, q): AlertRow[] => listAlerts(ctx.db, q.open, q.limit),
});

export const acknowledgeAlertOp = defineOperation({
  name: 'alert.acknowledge',
  requires: ALERT_READERS,
  input: z.strictObject({ id }),
  run(ctx, { id: alertId }): AlertRow {
    const alert = getAlert(ctx.db, alertId);
    if (!alert) throw notFound('Alert', alertId);
    if (alert.acknowledgedAt !== null) throw new CairnError('conflict', `Alert ${alertId} was already acknowledged by ${alert.acknowledgedBy}`);
    acknowledgeAlert(ctx.db, alertId, actorLabel(ctx.actor), ctx.now);
    ctx.audit({ action: 'alert.acknowledge', targetType: 'alert', targetId: alertId, details: { kind: alert.kind } });
    return getAlert(ctx.db, alertId)!;
  },
});

export const ALERT_OPERATIONS = [listAlertsOp, acknowledgeAlertOp] as const;
