import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Actor } from './actor.js';
import type { AuditDraft } from './audit.js';
import type { Clock } from './clock.js';
import type { Permission, Requirement } from './permissions.js';

/** What an operation's body may use. It runs after the permission check and the input parse. */
export interface OperationContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly actor: Actor;
  /** Time of this call, read once so every row an operation writes carries the same instant. */
  readonly now: number;
  /** Whether the actor also holds `permission` (e.g. incidents.publish while writing an incident). */
  can(permission: Permission): boolean;
  /** Records a change, in the operation's own transaction. */
  audit(draft: AuditDraft): void;
}

/**
 * One thing the core can do, declared once: its name, the one permission it needs, the schema of
 * its input, and its body. Doors never call bodies directly; `Core.execute` runs the check, the
 * parse and (for writes) the transaction in that order, so no operation can forget any of them.
 */
export interface Operation<S extends z.ZodType = z.ZodType, O = unknown> {
  readonly name: string;
  readonly requires: Requirement;
  readonly input: S;
  /** Reads run without a transaction and may not audit. Defaults to false (a write). */
  readonly readOnly?: boolean;
  run(ctx: OperationContext, input: z.output<S>): O;
}

export function defineOperation<S extends z.ZodType, O>(op: Operation<S, O>): Operation<S, O> {
  return op;
}

export type OperationInput<Op> = Op extends Operation<infer S, unknown> ? z.input<S> : never;
export type OperationOutput<Op> = Op extends Operation<z.ZodType, infer O> ? O : never;
