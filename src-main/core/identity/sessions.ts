import type { Db } from '../../db/connection.js';
import { permissionsOfUser } from '../../db/roles.js';
import { endSession, findSessionByTokenHash, getSession, insertSession, touchSession, type Stage } from '../../db/sessions.js';
import { getUser, touchUserActivity, type UserRow } from '../../db/users.js';
import type { Actor, Client } from '../actor.js';
import { describeClient } from '../actor.js';
import type { Principal, PrincipalLookup } from '../authorizer.js';
import type { Clock } from '../clock.js';
import type { Permission } from '../permissions.js';
import { loadSecurityPolicy, requires2fa, type SecurityPolicy } from './policy.js';
import { newSessionToken, sha256 } from './secrets.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Whether a user signed in past 2FA must still finish setting up the account before anything
 * else: a password set by someone else, or no 2FA under a policy that requires it. Computed at
 * every call, so tightening the policy takes effect on live sessions too.
 */
export function needsSetup(user: UserRow, policy: SecurityPolicy, permissions: readonly string[]): boolean {
  return user.mustChangePassword || (!user.totpEnabled && requires2fa(policy, permissions));
}

/** A new server-side session; the token is returned once and only its hash is kept. */
export function startSession(db: Db, userId: number, stage: Stage, client: Client, now: number): { token: string; sessionId: number } {
  const token = newSessionToken();
  const sessionId = insertSession(db, { tokenHash: sha256(token), userId, stage, client: describeClient(client) }, now);
  return { token, sessionId };
}

/**
 * The actor a door acts as for a session token it holds (the console keeps it in main, keyed by
 * window). An unknown token is anonymous; expiry and revocation are checked at each call by the
 * authorizer, not here.
 */
export function actorForSessionToken(db: Db, token: string, client: Client): Actor {
  const session = token.length > 0 && token.length <= 100 ? findSessionByTokenHash(db, sha256(token)) : undefined;
  if (!session || session.endedAt !== null) return { kind: 'anonymous', client };
  return { kind: 'user', userId: session.userId, sessionId: session.id, client };
}

const ended: Principal = { kind: 'nobody', sessionEnded: true };

/**
 * Resolves a user actor from its session, afresh at every call: ended, idle-expired or
 * absolutely expired sessions and disabled users are nobody; permissions are the union of the
 * user's roles now, and none until sign-in is complete.
 */
export function userPrincipal(db: Db, clock: Clock): PrincipalLookup {
  return (actor) => {
    if (actor.kind !== 'user') return { kind: 'nobody' };
    const now = clock.now();
    const session = getSession(db, actor.sessionId);
    if (!session || session.userId !== actor.userId || session.endedAt !== null) return ended;
    const policy = loadSecurityPolicy(db);
    if (now - session.lastSeenAt > policy.sessionIdleMinutes * MINUTE) {
      endSession(db, session.id, 'idle timeout', now);
      return ended;
    }
    if (now - session.createdAt > policy.sessionAbsoluteHours * HOUR) {
      endSession(db, session.id, 'expired', now);
      return ended;
    }
    const user = getUser(db, actor.userId);
    if (!user || user.status !== 'active') return ended;
    touchSession(db, session.id, now);
    touchUserActivity(db, user.id, now);
    const granted = permissionsOfUser(db, user.id);
    const stage: Stage = session.stage === 'full' && needsSetup(user, policy, granted) ? 'setup' : session.stage;
    return {
      kind: 'user',
      userId: user.id,
      sessionId: session.id,
      stage,
      permissions: new Set(stage === 'full' ? (granted as Permission[]) : []),
      authenticatedAt: session.authenticatedAt,
    };
  };
}
