import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Actor } from './actor.js';
import { writeAudit, type AuditDraft } from './audit.js';
import { createAuthorizer, type Authorizer } from './authorizer.js';
import { systemClock, type Clock } from './clock.js';
import { CairnError } from './errors.js';
import type { Operation, OperationContext } from './operation.js';
import { PUBLIC } from './permissions.js';

export interface CoreOptions {
  readonly db: Db;
  readonly clock?: Clock;
  readonly authorizer?: Authorizer;
}

/**
 * The single entrance to the domain. Every door (IPC, HTTP, CLI) calls `execute` with an actor,
 * an operation and the raw input it received; nothing else in the core is reachable from a door.
 */
export class Core {
  readonly db: Db;
  readonly clock: Clock;
  readonly authorizer: Authorizer;

  constructor(options: CoreOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    this.authorizer = options.authorizer ?? createAuthorizer();
  }

  execute<S extends z.ZodType, O>(op: Operation<S, O>, actor: Actor, rawInput: z.input<S> | unknown): O {
    // 1. Permission, before anything is read.
    const granted = this.authorizer.permissionsOf(actor);
    if (op.requires !== PUBLIC && !granted.has(op.requires)) {
      this.recordDenied(op, actor);
      throw new CairnError(
        actor.kind === 'anonymous' ? 'unauthenticated' : 'forbidden',
        actor.kind === 'anonymous' ? 'Sign in or send an API key to do this' : `This needs the ${op.requires} permission`,
      );
    }
    // 2. Input, parsed whole before anything is written.
    const input = parseInput(op.input, rawInput);
    // 3. The body; a write and its audit entries share one transaction.
    const now = this.clock.now();
    const drafts: AuditDraft[] = [];
    const ctx: OperationContext = {
      db: this.db,
      clock: this.clock,
      actor,
      now,
      can: (permission) => this.authorizer.permissionsOf(actor).has(permission),
      audit: (draft) => {
        if (op.readOnly) throw new Error(`read-only operation ${op.name} tried to audit a change`);
        drafts.push(draft);
        writeAudit(this.db, now, actor, 'ok', draft);
      },
    };
    if (op.readOnly) return op.run(ctx, input);
    try {
      return this.db.transaction(() => {
        const result = op.run(ctx, input);
        if (drafts.length === 0) throw new Error(`operation ${op.name} changed state without an audit entry`);
        return result;
      }).immediate();
    } catch (err) {
      throw translateStoreError(err);
    }
  }

  /**
   * A refused call is itself worth auditing (who tried what). Anonymous refusals are not written:
   * anyone on the network could fill the log with them; the HTTP layer rate-limits those instead.
   */
  private recordDenied(op: Operation, actor: Actor): void {
    if (actor.kind === 'anonymous') return;
    writeAudit(this.db, this.clock.now(), actor, 'denied', { action: op.name, details: { requires: op.requires } });
  }
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
