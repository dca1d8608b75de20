import { z } from 'zod';
import {
  apiKeySecretHmac,
  findApiKeyByPublicId,
  insertApiKey,
  listApiKeys,
  recordApiKeyUse,
  revokeApiKeyRow,
  setApiKeyExpiry,
  type ApiKeyRow,
} from '../../db/api-keys.js';
import type { Db } from '../../db/connection.js';
import { permissionsOfUser } from '../../db/roles.js';
import { findUserByEmail, getUser, type UserRow } from '../../db/users.js';
import type { Actor, Client } from '../actor.js';
import type { Principal, PrincipalLookup } from '../authorizer.js';
import type { Clock } from '../clock.js';
import { CairnError, notFound } from '../errors.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { PERMISSIONS, type Permission } from '../permissions.js';
import { emailAddress, int, line } from '../schemas.js';
import { apiKeyHmac, newApiKey, parseApiKey, PUBLIC_ID_PATTERN } from './api-key-format.js';
import { loadSecurityPolicy, type SecurityPolicy } from './policy.js';
import { assertCanGrant } from './roles.js';
import { sameBytes } from './secrets.js';

const DAY = 86_400_000;

/**
 * What an integration may be given. Managing users, keys, settings and notification providers,
 * approving incident updates and reading the audit log stay with people in the console: a leaked
 * key can never be one of those, whatever its owner holds.
 */
const CONSOLE_ONLY: readonly Permission[] = ['incidents.approve', 'users.read', 'users.manage', 'apikeys.manage', 'audit.read', 'audit.review', 'settings.manage', 'notifications.manage'];
export const API_SCOPES = PERMISSIONS.filter((p) => !CONSOLE_ONLY.includes(p)) as [Permission, ...Permission[]];

export type ApiKeyState = 'active' | 'expired' | 'revoked' | 'owner disabled';

/** A key as operators see it: never its secret, always what it can do now. */
export interface ApiKeySummary extends Omit<ApiKeyRow, 'id' | 'publicId' | 'ownerId' | 'ownerEmail'> {
  /** The key's public id (the part of the key before its secret). */
  readonly id: string;
  readonly owner: string | null;
  /** The scopes the key has right now: its own, less whatever its owner no longer holds. */
  readonly effectiveScopes: string[];
  readonly state: ApiKeyState;
  /** Active and older than the policy's rotation age. */
  readonly dueForRotation: boolean;
}

/** A key just issued: the only time its secret is ever shown. */
export interface IssuedApiKey {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly owner: string | null;
  readonly scopes: string[];
  readonly expiresAt: number | null;
}

function stateOf(db: Db, key: ApiKeyRow, now: number): ApiKeyState {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  if (key.ownerId !== null && getUser(db, key.ownerId)?.status !== 'active') return 'owner disabled';
  return 'active';
}

/** Scopes ∩ what the owner holds now (the local operator, owner of ownerless keys, holds all). */
function effectiveScopes(db: Db, key: ApiKeyRow): Permission[] {
  const held = key.ownerId === null ? undefined : new Set(permissionsOfUser(db, key.ownerId));
  return key.scopes.filter((s): s is Permission => (API_SCOPES as readonly string[]).includes(s) && (held === undefined || held.has(s)));
}

function summarize(db: Db, key: ApiKeyRow, policy: SecurityPolicy, now: number): ApiKeySummary {
  const state = stateOf(db, key, now);
  return {
    id: key.publicId,
    name: key.name,
    owner: key.ownerEmail,
    scopes: key.scopes,
    effectiveScopes: state === 'active' ? effectiveScopes(db, key) : [],
    state,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    rotatedFrom: key.rotatedFrom,
    lastUsedAt: key.lastUsedAt,
    lastUsedIp: key.lastUsedIp,
    useCount: key.useCount,
    dueForRotation: state === 'active' && now - key.createdAt > policy.apiKeyRotationDays * DAY,
  };
}

/** Every key (or every key of `ownerId`) as operators see it. */
export const summarizeApiKeys = (db: Db, policy: SecurityPolicy, now: number, ownerId?: number): ApiKeySummary[] =>
  listApiKeys(db, { ownerId }).map((k) => summarize(db, k, policy, now));

// ---- authentication ---------------------------------------------------------------------------

export type ApiKeyCheck =
  | { readonly ok: true; readonly actor: Actor; readonly keyRowId: number }
  /** `publicId` is set when the key was well-formed, so the refusal can be audited under it. */
  | { readonly ok: false; readonly publicId: string | undefined; readonly reason: string; readonly error: CairnError };

const BAD_KEY = 'The API key is not valid';

/**
 * Checks a key a client sent. The checksum is tested first, so a mistyped or made-up key costs no
 * lookup; the stored HMAC is compared in constant time. Only a caller who holds the real secret
 * learns that it expired or was revoked; anything else gets the same answer.
 */
export function checkApiKey(db: Db, pepper: Buffer, candidate: string, client: Client, now: number): ApiKeyCheck {
  const parsed = parseApiKey(candidate);
  if (!parsed) return { ok: false, publicId: undefined, reason: 'malformed', error: new CairnError('unauthenticated', `${BAD_KEY} (it is not a Cairn key, or it was not copied whole)`) };
  const key = findApiKeyByPublicId(db, parsed.publicId);
  const stored = key && apiKeySecretHmac(db, key.id);
  if (!key || !stored || !sameBytes(stored, apiKeyHmac(pepper, candidate))) {
    return { ok: false, publicId: parsed.publicId, reason: 'unknown key or wrong secret', error: new CairnError('unauthenticated', BAD_KEY) };
  }
  const state = stateOf(db, key, now);
  if (state !== 'active') {
    const message = state === 'owner disabled' ? 'The API key belongs to a disabled account' : `The API key has been ${state === 'expired' ? 'expired' : 'revoked'}; create or rotate a key`;
    return { ok: false, publicId: key.publicId, reason: state, error: new CairnError('unauthenticated', message) };
  }
  return { ok: true, actor: { kind: 'apikey', keyId: key.publicId, client }, keyRowId: key.id };
}

/**
 * Usage telemetry of accepted keys (last use, from where, how many), written in batches: recorded
 * one by one, every accepted request would be a write and a commit of its own, and a monitoring
 * tool posting points would pay for two. Uses are noted in memory and written at the next
 * operation or group commit, or at the end of this event-loop turn, whichever comes first.
 * Telemetry never fails a request: if the store cannot be written, the uses wait for the next try.
 */
export class KeyUseRecorder {
  private pending = new Map<number, { ip: string; at: number; count: number }>();
  private scheduled = false;

  constructor(private readonly db: Db) {}

  note(keyRowId: number, client: Client, at: number): void {
    const ip = 'ip' in client ? client.ip : client.kind;
    const seen = this.pending.get(keyRowId);
    this.pending.set(keyRowId, { ip, at: Math.max(at, seen?.at ?? 0), count: (seen?.count ?? 0) + 1 });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (this.pending.size === 0 || !this.db.open) return;
    const uses = this.pending;
    this.pending = new Map();
    try {
      this.db.transaction(() => {
        for (const [id, use] of uses) recordApiKeyUse(this.db, id, use.ip, use.at, use.count);
      })();
    } catch {
      for (const [id, use] of uses) {
        const later = this.pending.get(id);
        this.pending.set(id, later ? { ...later, count: later.count + use.count } : use);
      }
    }
  }
}

/**
 * Resolves an API key actor afresh at every call: a key revoked, expired or whose owner was
 * disabled a moment ago is nobody; its permissions shrink with its owner's.
 */
export function apiKeyPrincipal(db: Db, clock: Clock): PrincipalLookup {
  return (actor): Principal => {
    if (actor.kind !== 'apikey') return { kind: 'nobody' };
    const key = PUBLIC_ID_PATTERN.test(actor.keyId) ? findApiKeyByPublicId(db, actor.keyId) : undefined;
    if (!key || stateOf(db, key, clock.now()) !== 'active') return { kind: 'nobody' };
    return { kind: 'apikey', keyId: key.publicId, permissions: new Set(effectiveScopes(db, key)) };
  };
}

// ---- operations -------------------------------------------------------------------------------

const scopes = z
  .array(z.enum(API_SCOPES, { error: `must be among ${API_SCOPES.join(', ')}` }))
  .min(1, 'give at least one scope')
  .max(API_SCOPES.length)
  .transform((list) => [...new Set(list)].sort());

const publicId = z.string().trim().regex(PUBLIC_ID_PATTERN, 'must be a key id (12 letters and digits, as `apikey list` shows)');

function requireKey(db: Db, keyId: string): ApiKeyRow {
  const key = findApiKeyByPublicId(db, keyId);
  if (!key) throw notFound('API key', keyId);
  return key;
}

function resolveOwner(ctx: OperationContext, ownerEmail: string | undefined): UserRow | null {
  if (ownerEmail !== undefined) {
    const owner = findUserByEmail(ctx.db, ownerEmail);
    if (!owner) throw new CairnError('invalid_input', `owner: no account has the address ${ownerEmail}`, 'owner');
    if (owner.status !== 'active') throw new CairnError('invalid_input', `owner: ${ownerEmail} is disabled`, 'owner');
    return owner;
  }
  return ctx.principal.kind === 'user' ? (getUser(ctx.db, ctx.principal.userId) ?? null) : null;
}

function expiryFor(policy: SecurityPolicy, now: number, days: number | null | undefined): number | null {
  if (days === null) {
    if (policy.apiKeyRequireExpiry) throw new CairnError('invalid_input', 'expiresInDays: the security policy requires every API key to expire', 'expiresInDays');
    return null;
  }
  const chosen = days ?? policy.apiKeyMaxLifetimeDays;
  if (chosen > policy.apiKeyMaxLifetimeDays) {
    throw new CairnError('invalid_input', `expiresInDays: must be at most ${policy.apiKeyMaxLifetimeDays} (the security policy's maximum)`, 'expiresInDays');
  }
  return now + chosen * DAY;
}

interface PreparedKey {
  readonly key: string;
  readonly publicId: string;
  readonly hmac: Buffer;
}

async function prepareKey(ctx: { keys(): Promise<{ apiKeyPepper: Buffer }> }): Promise<PreparedKey> {
  const { apiKeyPepper } = await ctx.keys();
  const { key, publicId: newId } = newApiKey();
  return { key, publicId: newId, hmac: apiKeyHmac(apiKeyPepper, key) };
}

export const createApiKey = defineOperation({
  name: 'apikey.create',
  requires: 'apikeys.manage',
  reauth: true,
  input: z.strictObject({
    name: line(100),
    scopes,
    /** The account the key acts for; defaults to the signed-in user (none for the local operator). */
    owner: emailAddress.optional(),
    /** Days until it expires; default the policy's maximum; null for never, if the policy allows. */
    expiresInDays: int(1, 3650).nullable().optional(),
  }),
  prepare: (ctx) => prepareKey(ctx),
  run(ctx, input, prepared): IssuedApiKey {
    const owner = resolveOwner(ctx, input.owner);
    assertCanGrant(ctx, input.scopes);
    if (owner) {
      const held = new Set(permissionsOfUser(ctx.db, owner.id));
      const missing = input.scopes.filter((s) => !held.has(s));
      if (missing.length > 0) throw new CairnError('forbidden', `A key cannot hold more than its owner: ${owner.email} lacks ${missing.join(', ')}`);
    }
    const expiresAt = expiryFor(loadSecurityPolicy(ctx.db), ctx.now, input.expiresInDays);
    insertApiKey(ctx.db, { publicId: prepared.publicId, secretHmac: prepared.hmac, name: input.name, ownerId: owner?.id ?? null, scopes: input.scopes, expiresAt, rotatedFrom: null }, ctx.now);
    ctx.audit({
      action: 'apikey.create',
      targetType: 'apikey',
      targetId: prepared.publicId,
      details: { name: input.name, owner: owner?.email ?? null, scopes: input.scopes, expiresAt, writeScopes: input.scopes.some((s) => !s.endsWith('.read')) },
    });
    return { id: prepared.publicId, key: prepared.key, name: input.name, owner: owner?.email ?? null, scopes: input.scopes, expiresAt };
  },
});

export const listApiKeysOp = defineOperation({
  name: 'apikey.list',
  requires: 'apikeys.manage',
  readOnly: true,
  input: z.strictObject({ owner: emailAddress.optional() }),
  run(ctx, { owner }): ApiKeySummary[] {
    const policy = loadSecurityPolicy(ctx.db);
    const ownerId = owner === undefined ? undefined : (findUserByEmail(ctx.db, owner)?.id ?? -1);
    return summarizeApiKeys(ctx.db, policy, ctx.now, ownerId);
  },
});

/**
 * Issues a successor with the same name, owner and scopes, and lets the old key work on for the
 * overlap (so an integration can be switched without downtime), then stop.
 */
export const rotateApiKey = defineOperation({
  name: 'apikey.rotate',
  requires: 'apikeys.manage',
  reauth: true,
  input: z.strictObject({ id: publicId, overlapDays: int(0, 7).default(1) }),
  prepare: (ctx) => prepareKey(ctx),
  run(ctx, { id: keyId, overlapDays }, prepared): IssuedApiKey & { previous: { id: string; expiresAt: number } } {
    const old = requireKey(ctx.db, keyId);
    const state = stateOf(ctx.db, old, ctx.now);
    if (state !== 'active') throw new CairnError('conflict', `API key ${keyId} is ${state}; create a new key instead`);
    assertCanGrant(ctx, old.scopes);
    const policy = loadSecurityPolicy(ctx.db);
    const lifetimeDays = old.expiresAt === null ? (policy.apiKeyRequireExpiry ? policy.apiKeyMaxLifetimeDays : null) : Math.min(policy.apiKeyMaxLifetimeDays, Math.ceil((old.expiresAt - old.createdAt) / DAY));
    const expiresAt = lifetimeDays === null ? null : ctx.now + lifetimeDays * DAY;
    insertApiKey(ctx.db, { publicId: prepared.publicId, secretHmac: prepared.hmac, name: old.name, ownerId: old.ownerId, scopes: old.scopes, expiresAt, rotatedFrom: old.id }, ctx.now);
    const oldExpiresAt = Math.min(old.expiresAt ?? Number.MAX_SAFE_INTEGER, ctx.now + overlapDays * DAY);
    setApiKeyExpiry(ctx.db, old.id, oldExpiresAt);
    ctx.audit({ action: 'apikey.rotate', targetType: 'apikey', targetId: old.publicId, details: { successor: prepared.publicId, overlapDays, previousExpiresAt: [old.expiresAt, oldExpiresAt] } });
    return { id: prepared.publicId, key: prepared.key, name: old.name, owner: old.ownerEmail, scopes: old.scopes, expiresAt, previous: { id: old.publicId, expiresAt: oldExpiresAt } };
  },
});

/** Stops a key at once. No re-authentication: cutting off a leaked key must never be slowed down. */
export const revokeApiKey = defineOperation({
  name: 'apikey.revoke',
  requires: 'apikeys.manage',
  input: z.strictObject({ id: publicId }),
  run(ctx, { id: keyId }): ApiKeySummary {
    const key = requireKey(ctx.db, keyId);
    if (key.revokedAt !== null) throw new CairnError('conflict', `API key ${keyId} is already revoked`);
    revokeApiKeyRow(ctx.db, key.id, ctx.now);
    ctx.audit({ action: 'apikey.revoke', targetType: 'apikey', targetId: key.publicId, details: { name: key.name } });
    return summarize(ctx.db, requireKey(ctx.db, keyId), loadSecurityPolicy(ctx.db), ctx.now);
  },
});
