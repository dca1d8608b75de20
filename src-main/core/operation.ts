import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Actor } from './actor.js';
import type { AuditDraft } from './audit.js';
import type { Principal, SessionStage } from './authorizer.js';
import type { Clock } from './clock.js';
import type { AnchorStore, CoreKeys, ProviderSecrets } from './keys.js';
import type { Permission, Requirement } from './permissions.js';
import type { RuntimeFacts } from './posture.js';
import type { RateLimiter } from './rate-limiter.js';

/** What an operation's `prepare` step may use: reads, keys and slow async work, no writes. */
export interface PrepareContext {
  readonly db: Db;
  readonly actor: Actor;
  readonly principal: Principal;
  readonly now: number;
  /** The keychain-held keys; rejects with `unavailable` when the OS keychain cannot be reached. */
  keys(): Promise<CoreKeys>;
  /** Bounds password verifications across all accounts (and the CPU they cost). */
  readonly signInLimiter: RateLimiter;
  /** The audit chain's anchor in the keychain, if this core has one. */
  readonly anchor: AnchorStore | undefined;
  /** The notification providers' credentials in the keychain; rejects with `unavailable` without one. */
  readonly providerSecrets: ProviderSecrets;
  /** Takes one call from `key`'s allowance under a named public limit; false when it is used up. */
  throttle(limit: ThrottleName, key: string): boolean;
}

/** Per-key limits on public acts that cost someone else something (a mail sent to an address). */
export type ThrottleName = 'subscribe.client' | 'subscribe.address';

/** What an operation's body may use. It runs after the permission check and the input parse. */
export interface OperationContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly actor: Actor;
  readonly principal: Principal;
  /** Time of this call, read once so every row an operation writes carries the same instant. */
  readonly now: number;
  /** What the composition root told the core about the running process. */
  readonly runtime: RuntimeFacts | undefined;
  /** Whether the actor also holds `permission` (e.g. incidents.publish while writing an incident). */
  can(permission: Permission): boolean;
  /**
   * Refuses (`reauth_required`) unless the user proved password and 2FA within the last five
   * minutes. The local operator is exempt; API keys cannot re-authenticate, so they are refused.
   */
  requireRecentAuth(): void;
  /** Records a change, in the operation's own transaction. */
  audit(draft: AuditDraft): void;
}

/**
 * One thing the core can do, declared once: its name, what it requires, the schema of its input,
 * and its body. Doors never call bodies directly; `Core.execute` runs the check, the parse, the
 * optional async `prepare` (password hashing, keychain reads) and, for writes, the transaction in
 * that order, so no operation can forget any of them.
 */
export interface Operation<S extends z.ZodType = z.ZodType, O = unknown, P = undefined> {
  readonly name: string;
  readonly requires: Requirement;
  /** For `self` operations: the session stages allowed. Defaults to a fully signed-in session. */
  readonly stages?: readonly SessionStage[];
  /** Sensitive: needs a recent re-authentication (see `requireRecentAuth`) before anything else. */
  readonly reauth?: boolean;
  readonly input: S;
  /** Reads run without a transaction and may not audit. Defaults to false (a write). */
  readonly readOnly?: boolean;
  /** Slow or async work done before the transaction opens; its result is passed to `run`. */
  prepare?(ctx: PrepareContext, input: z.output<S>): Promise<P>;
  run(ctx: OperationContext, input: z.output<S>, prepared: P): O;
}

export function defineOperation<S extends z.ZodType, O, P = undefined>(op: Operation<S, O, P>): Operation<S, O, P> {
  return op;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<z.ZodType, unknown, any>;
export type OperationInput<Op> = Op extends Operation<infer S, unknown, unknown> ? z.input<S> : never;
export type OperationOutput<Op> = Op extends Operation<z.ZodType, infer O, unknown> ? O : never;
