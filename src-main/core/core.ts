import type { z } from 'zod';
import { changeStamp, publicChangeStamp, type Db } from '../db/connection.js';
import type { Actor, Client } from './actor.js';
import { writeAudit, type AuditDraft } from './audit.js';
import { maxAuditId } from '../db/audit.js';
import { createAuthorizer, permissionsOf, type Authorizer, type Principal, type SessionStage } from './authorizer.js';
import { systemClock, type Clock } from './clock.js';
import { CairnError, FailAfterCommit } from './errors.js';
import { apiKeyPrincipal, checkApiKey, KeyUseRecorder } from './identity/api-keys.js';
import { actorForSessionToken, userPrincipal } from './identity/sessions.js';
import type { AnchorStore, KeyProvider, ProviderSecrets } from './keys.js';
import type { RuntimeFacts } from './posture.js';
import type { AnyOperation, Operation, OperationContext, PrepareContext, ThrottleName } from './operation.js';
import { describeRequirement, PUBLIC, SELF, type Requirement } from './permissions.js';
import { KeyedRateLimiter, RateLimiter } from './rate-limiter.js';

export interface CoreOptions {
  readonly db: Db;
  readonly clock?: Clock;
  readonly authorizer?: Authorizer;
  /** Loads the keychain-held keys; operations that need them fail as `unavailable` without it. */
  readonly keys?: KeyProvider;
  /** Password checks across all accounts: burst and sustained rate (default 20, 5 per second). */
  readonly signInRate?: { readonly burst: number; readonly perSecond: number };
  /** Where the audit chain's last verified head is kept (the keychain); without it, no anchor. */
  readonly anchor?: AnchorStore;
  /** The audit seal key, when the caller already holds it (tests, benchmarks); else read from `keys`. */
  readonly auditKey?: Buffer;
  /** What only the running process knows, for the security posture (mode, database file mode). */
  readonly runtime?: RuntimeFacts;
  /** Where notification providers' credentials are kept (the keychain); without it they cannot be set or used. */
  readonly providerSecrets?: ProviderSecrets;
  /** Public subscribe requests: per client address (default 5, then 1 a minute) and per e-mail address (2, then 1 per 15 minutes). */
  readonly throttles?: Partial<Record<ThrottleName, { readonly burst: number; readonly perSecond: number }>>;
}

const DEFAULT_THROTTLES: Record<ThrottleName, { readonly burst: number; readonly perSecond: number }> = {
  'subscribe.client': { burst: 5, perSecond: 1 / 60 },
  'subscribe.address': { burst: 2, perSecond: 1 / 900 },
};

/** An operation checked, parsed and prepared, whose write is still to run (see `Core.prepareCall`). */
export type PreparedCall<O> = () => O;

/** What one call of a group commit came to. */
export type Settled<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

/** How recent a proof of password and 2FA must be for a sensitive act. */
export const REAUTH_WINDOW_MS = 5 * 60_000;

const noKeys: KeyProvider = () => Promise.reject(new CairnError('unavailable', 'The OS keychain is not available, so two-factor secrets cannot be read'));
const noSecretStore = (): Promise<never> => Promise.reject(new CairnError('unavailable', 'The OS keychain is not available, so provider credentials cannot be kept'));
const noProviderSecrets: ProviderSecrets = { get: noSecretStore, set: noSecretStore, delete: noSecretStore };

/**
 * The single entrance to the domain. Every door (IPC, HTTP, CLI) calls `execute` with an actor,
 * an operation and the raw input it received; nothing else in the core is reachable from a door.
 */
export class Core {
  readonly db: Db;
  readonly clock: Clock;
  readonly authorizer: Authorizer;
  private readonly keys: KeyProvider;
  private readonly anchor: AnchorStore | undefined;
  private readonly runtime: RuntimeFacts | undefined;
  private readonly providerSecrets: ProviderSecrets;
  private readonly signInLimiter: RateLimiter;
  private readonly throttles: Record<ThrottleName, KeyedRateLimiter>;
  /** Seals audit entries once the keychain has given it; entries written before are unsealed. */
  private chainKey: Buffer | undefined;
  private readonly keyUse: KeyUseRecorder;

  constructor(options: CoreOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    const users = userPrincipal(this.db, this.clock);
    const apiKeys = apiKeyPrincipal(this.db, this.clock);
    this.authorizer = options.authorizer ?? createAuthorizer((actor) => (actor.kind === 'user' ? users(actor) : apiKeys(actor)));
    this.keys = options.keys ?? noKeys;
    this.anchor = options.anchor;
    this.chainKey = options.auditKey;
    this.runtime = options.runtime;
    this.providerSecrets = options.providerSecrets ?? noProviderSecrets;
    this.keyUse = new KeyUseRecorder(this.db);
    this.signInLimiter = new RateLimiter(options.signInRate?.burst ?? 20, options.signInRate?.perSecond ?? 5);
    const throttle = (name: ThrottleName) => {
      const rate = options.throttles?.[name] ?? DEFAULT_THROTTLES[name];
      return new KeyedRateLimiter(rate.burst, rate.perSecond);
    };
    this.throttles = { 'subscribe.client': throttle('subscribe.client'), 'subscribe.address': throttle('subscribe.address') };
    void this.loadAuditKey(); // sealing starts as soon as the keychain answers
  }

  /**
   * Loads the audit chain's key from the keychain so that entries are sealed as they are written.
   * Composition roots await it before serving; false (and unsealed entries, which verification
   * reports) if the keychain cannot be reached.
   */
  async loadAuditKey(): Promise<boolean> {
    if (this.chainKey) return true;
    try {
      this.chainKey = (await this.keys()).auditChain;
      return true;
    } catch {
      return false;
    }
  }

  /** Changes whenever the store's content may have changed (here or in another process): for caches of public output. */
  changeStamp(): string {
    return changeStamp(this.db);
  }

  /** Changes whenever what public pages show may have changed (not with metric points or bookkeeping). */
  publicChangeStamp(): string {
    return publicChangeStamp(this.db);
  }

  /**
   * The id of the latest audit entry. Every change writes one (and bookkeeping such as a session's
   * last activity does not), so this moves exactly when something worth showing changed.
   */
  lastChange(): number {
    return maxAuditId(this.db);
  }

  /** The actor for a session token a door holds (anonymous if unknown); checked again at each call. */
  actorForSession(token: string, client: Client): Actor {
    return actorForSessionToken(this.db, token, client);
  }

  /**
   * The actor for an API key a client sent, or an `unauthenticated` error. A refused key that was
   * well-formed is audited under its public id (never the key); a malformed one is not (the HTTP
   * door rate-limits those). Accepted keys have their use recorded (time, client IP, count).
   */
  async authenticateApiKey(candidate: string, client: Client): Promise<Actor> {
    const { apiKeyPepper } = await this.keys();
    const now = this.clock.now();
    const check = checkApiKey(this.db, apiKeyPepper, candidate, client, now);
    if (check.ok) {
      this.keyUse.note(check.keyRowId, client, now);
      return check.actor;
    }
    if (check.publicId !== undefined) {
      const claimed: Actor = { kind: 'apikey', keyId: check.publicId, client };
      writeAudit(this.db, now, claimed, 'denied', { action: 'apikey.authenticate', targetType: 'apikey', targetId: check.publicId, details: { reason: check.reason } }, this.chainKey);
    }
    throw check.error;
  }

  /**
   * Only the permission check of `op` (refusals audited as in `execute`), for a door that must
   * translate its raw input before the core can parse it: who may call comes before what they sent.
   */
  checkAccess(op: AnyOperation, actor: Actor): void {
    this.admit(op, actor, undefined, false);
  }

  /**
   * The permission check alone for a door whose contract declares what an entry point needs (an
   * IPC channel): the same rule and the same audited refusal as `execute`, so no door decides it.
   */
  checkRequirement(name: string, requires: Requirement, actor: Actor, stages?: readonly SessionStage[]): void {
    this.admit({ name, requires, ...(stages ? { stages } : {}), input: undefined as never, run: () => undefined }, actor, undefined, false);
  }

  /** Runs an operation that has no async `prepare` step. */
  execute<S extends z.ZodType, O>(op: Operation<S, O>, actor: Actor, rawInput: z.input<S> | unknown): O {
    if (op.prepare) throw new Error(`operation ${op.name} has an async step; call executeAsync`);
    const { principal, input } = this.admit(op, actor, rawInput);
    return this.runBody(op, actor, principal, input, undefined);
  }

  /** Runs any operation; the one doors use. */
  async executeAsync<S extends z.ZodType, O, P>(op: Operation<S, O, P>, actor: Actor, rawInput: z.input<S> | unknown): Promise<O> {
    const { principal, input } = this.admit(op, actor, rawInput);
    if (!op.prepare) return this.runBody(op, actor, principal, input, undefined as P);
    const prepared = await this.runPrepare(op, actor, principal, input);
    // Permission again: a grant or session may have ended while `prepare` awaited.
    const { principal: current } = this.admit(op, actor, rawInput);
    return this.runBody(op, actor, current, input, prepared);
  }

  /**
   * Everything of an operation up to its write: the permission check, the input parsed, the
   * async `prepare` step. What it returns writes (checking the permission once more, as it may
   * have ended meanwhile) and may be run later, alone or with others in `commitTogether`.
   */
  async prepareCall<S extends z.ZodType, O, P>(op: Operation<S, O, P>, actor: Actor, rawInput: z.input<S> | unknown): Promise<PreparedCall<O>> {
    const { principal, input } = this.admit(op, actor, rawInput);
    const prepared = op.prepare ? await this.runPrepare(op, actor, principal, input) : (undefined as P);
    return () => this.runBody(op, actor, this.admit(op, actor, undefined, false).principal, input, prepared);
  }

  /**
   * Group commit: runs prepared calls in one SQLite transaction, each in its own savepoint, so a
   * call that fails leaves no trace and the others are unaffected; one commit instead of one per
   * call is what makes a stream of small writes (metric points) cheap. Each call's result or error
   * is returned once the whole group has committed; if the commit itself fails, every call has
   * that error (nothing of the group was kept).
   */
  commitTogether<O>(calls: readonly PreparedCall<O>[]): Settled<O>[] {
    const settled: Settled<O>[] = [];
    try {
      this.db
        .transaction(() => {
          this.keyUse.flush();
          for (const call of calls) {
            try {
              settled.push({ ok: true, value: call() });
            } catch (error) {
              // Some store errors (a full disk) roll the whole transaction back: then the group failed as one.
              if (!this.db.inTransaction) throw error;
              settled.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (err) {
      const error = translateStoreError(err);
      return calls.map(() => ({ ok: false, error }));
    }
    return settled;
  }

  private async runPrepare<S extends z.ZodType, O, P>(op: Operation<S, O, P>, actor: Actor, principal: Principal, input: unknown): Promise<P> {
    const ctx: PrepareContext = {
      db: this.db,
      actor,
      principal,
      now: this.clock.now(),
      keys: this.keys,
      anchor: this.anchor,
      signInLimiter: this.signInLimiter,
      providerSecrets: this.providerSecrets,
      throttle: (limit, key) => this.throttles[limit].take(key, this.clock.now()).ok,
    };
    return op.prepare!(ctx, input as z.output<S>);
  }

  /** 1. Who, and may they. 2. The input, parsed whole before anything is written. */
  private admit(op: AnyOperation, actor: Actor, rawInput: unknown, parse = true): { principal: Principal; input: unknown } {
    const principal = this.authorizer.resolve(actor);
    const refusal = refuse(op, actor, principal);
    if (refusal) {
      if (refusal.code === 'forbidden') this.recordDenied(op, actor);
      throw refusal;
    }
    return { principal, input: parse ? parseInput(op.input, rawInput) : undefined };
  }

  private runBody<O, P>(op: Operation<z.ZodType, O, P>, actor: Actor, principal: Principal, input: unknown, prepared: P): O {
    this.keyUse.flush(); // so that an operation reading keys sees every use so far
    const now = this.clock.now();
    const drafts: AuditDraft[] = [];
    const ctx: OperationContext = {
      db: this.db,
      clock: this.clock,
      actor,
      principal,
      now,
      runtime: this.runtime,
      can: (permission) => permissionsOf(this.authorizer.resolve(actor)).has(permission),
      requireRecentAuth: () => requireRecentAuth(principal, now),
      audit: (draft) => {
        if (op.readOnly) throw new Error(`read-only operation ${op.name} tried to audit a change`);
        drafts.push(draft);
        writeAudit(this.db, now, actor, draft.outcome ?? 'ok', draft, this.chainKey);
      },
    };
    if (op.reauth) ctx.requireRecentAuth();
    if (op.readOnly) return op.run(ctx, input, prepared);
    // A FailAfterCommit keeps what the body wrote (a failed sign-in's counter and audit entry)
    // and reaches the caller as its error once the transaction has committed.
    let failure: CairnError | undefined;
    let result: O;
    try {
      result = this.db.transaction(() => {
        try {
          const value = op.run(ctx, input, prepared);
          if (drafts.length === 0) throw new Error(`operation ${op.name} changed state without an audit entry`);
          return value;
        } catch (err) {
          if (!(err instanceof FailAfterCommit) || drafts.length === 0) throw err;
          failure = err.error;
          return undefined as O;
        }
      }).immediate();
    } catch (err) {
      throw translateStoreError(err);
    }
    if (failure) throw failure;
    return result;
  }

  /**
   * A refused call is itself worth auditing (who tried what). Calls without a live identity are
   * not written: anyone on the network could fill the log with them; the doors rate-limit those.
   */
  private recordDenied(op: AnyOperation, actor: Actor): void {
    writeAudit(this.db, this.clock.now(), actor, 'denied', { action: op.name, details: { requires: describeRequirement(op.requires) } }, this.chainKey);
  }
}

/** Why `principal` may not run `op`, or undefined if it may. */
function refuse(op: AnyOperation, actor: Actor, principal: Principal): CairnError | undefined {
  const required = op.requires;
  if (required === PUBLIC) return undefined;
  if (principal.kind === 'nobody') {
    return new CairnError(
      'unauthenticated',
      principal.sessionEnded ? 'Your session has ended; sign in again' : actor.kind === 'anonymous' ? 'Sign in or send an API key to do this' : 'Sign in to do this',
    );
  }
  if (required === SELF) {
    if (principal.kind !== 'user') return new CairnError('forbidden', 'Only a signed-in user can do this, for their own account');
    if (!(op.stages ?? ['full']).includes(principal.stage)) return unfinishedSignIn(principal.stage);
    return undefined;
  }
  if (principal.kind === 'user' && principal.stage !== 'full') return unfinishedSignIn(principal.stage);
  const anyOf = typeof required === 'object' ? required.anyOf : [required];
  if (anyOf.some((p) => principal.permissions.has(p))) return undefined;
  return new CairnError('forbidden', `This needs the ${describeRequirement(required)} permission`);
}

function unfinishedSignIn(stage: string): CairnError {
  return new CairnError(
    'unauthenticated',
    stage === 'mfa' ? 'Enter your two-factor code to finish signing in' : 'Finish setting up your account (two-factor enrolment, new password) first',
  );
}

function requireRecentAuth(principal: Principal, now: number): void {
  if (principal.kind === 'operator') return;
  if (principal.kind === 'user' && now - principal.authenticatedAt <= REAUTH_WINDOW_MS) return;
  if (principal.kind === 'apikey') throw new CairnError('forbidden', 'This cannot be done with an API key; sign in to the console');
  throw new CairnError('reauth_required', 'Confirm your password and two-factor code to do this');
}

function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  let message = issue?.message ?? 'is invalid';
  if (issue?.code === 'unrecognized_keys') {
    path.push(issue.keys[0] ?? '');
    message = 'is not a known field';
  }
  const field = path.join('.');
  if (field === '') throw new CairnError('invalid_input', `Invalid input: ${message}`);
  throw new CairnError('invalid_input', `${field}: ${message}`, field);
}

/** SQLite constraint failures that slipped past the operations' own checks become conflicts. */
function translateStoreError(err: unknown): unknown {
  if (err instanceof CairnError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return new CairnError('conflict', 'The change conflicts with existing data');
  }
  if (code === 'SQLITE_BUSY') return new CairnError('unavailable', 'The store is busy; try again');
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR') {
    return new CairnError('unavailable', 'The store cannot be written (read-only or full disk)');
  }
  return err;
}
