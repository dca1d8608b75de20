import type { Actor } from '../core/actor.js';
import { permissionsOf } from '../core/authorizer.js';
import type { Core } from '../core/core.js';
import { CairnError, toPublicError } from '../core/errors.js';
import { CONTRACT, type Result } from '../../src-preload/contract/index.js';
import type { ChannelName } from '../../src-preload/contract/channels.js';

/** Who sent an IPC message, as register.ts reads it off Electron's event. */
export interface IpcSender {
  /** webContents id: the key of main's session table. */
  readonly webContentsId: number;
  /** Origin of the frame that sent it, e.g. "app://cairn". */
  readonly origin: string;
  readonly isMainFrame: boolean;
}

export interface IpcContext {
  readonly core: Core;
  /** The origin our renderer is served from; messages from anywhere else are refused. */
  readonly trustedOrigin: string;
  /** The actor signed in on a window, kept in main; never taken from a payload. */
  readonly actorFor: (webContentsId: number) => Actor;
  readonly mode: 'production' | 'development';
}

export type Handler = (ctx: IpcContext, actor: Actor, input: unknown) => unknown;
export type Handlers = { readonly [C in ChannelName]: Handler };

/**
 * Runs one IPC call in the order the design fixes: sender, actor, permission (declared by the
 * contract), input schema, handler, output schema. Always resolves to a Result.
 */
export function dispatch(ctx: IpcContext, handlers: Handlers, channel: ChannelName, sender: IpcSender, rawInput: unknown): Result<unknown> {
  try {
    if (!sender.isMainFrame || sender.origin !== ctx.trustedOrigin) {
      throw new CairnError('forbidden', 'This request did not come from the Cairn console');
    }
    const actor = ctx.actorFor(sender.webContentsId);
    const spec = CONTRACT[channel];
    if (spec.requires !== 'public' && !permissionsOf(ctx.core.authorizer.resolve(actor)).has(spec.requires)) {
      throw new CairnError(actor.kind === 'anonymous' ? 'unauthenticated' : 'forbidden', `This needs the ${spec.requires} permission`);
    }
    const input = spec.input.safeParse(rawInput ?? {});
    if (!input.success) {
      const issue = input.error.issues[0];
      throw new CairnError('invalid_input', `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'is invalid'}`);
    }
    const output = spec.output.safeParse(handlers[channel](ctx, actor, input.data));
    if (!output.success) throw new Error(`handler for ${channel} returned data outside its contract`);
    return { ok: true, value: output.data };
  } catch (err) {
    return { ok: false, error: toPublicError(err) };
  }
}
