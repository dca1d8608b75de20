import type { Actor } from '../core/actor.js';
import type { Core } from '../core/core.js';
import { CairnError, toPublicError } from '../core/errors.js';
import { CONTRACT, type Result } from '../../src-preload/contract/index.js';
import type { ChannelName } from '../../src-preload/contract/channels.js';
import type { ConsoleSessions } from './sessions.js';

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
  /** Who is signed in on which window, kept in main; an actor is never taken from a payload. */
  readonly sessions: ConsoleSessions;
  readonly mode: 'production' | 'development';
}

/** One call as a handler sees it: the actor main resolved, the parsed input, and this window's session slot. */
export interface IpcCall {
  readonly ctx: IpcContext;
  readonly actor: Actor;
  readonly input: unknown;
  readonly webContentsId: number;
}

export type Handler = (call: IpcCall) => unknown;
export type Handlers = { readonly [C in ChannelName]: Handler };

/**
 * Runs one IPC call in the order the design fixes: sender, actor (from main's session table),
 * declared permission, input schema, handler (a core call, which checks permission and input
 * again), output schema. Always resolves to a Result; nothing is thrown to the renderer.
 */
export async function dispatch(ctx: IpcContext, handlers: Handlers, channel: ChannelName, sender: IpcSender, rawInput: unknown): Promise<Result<unknown>> {
  try {
    if (!sender.isMainFrame || sender.origin !== ctx.trustedOrigin) {
      throw new CairnError('forbidden', 'This request did not come from the Cairn console');
    }
    const actor = ctx.sessions.actorFor(sender.webContentsId);
    const spec = CONTRACT[channel];
    ctx.core.checkRequirement(`ipc:${channel}`, spec.requires, actor, 'stages' in spec ? spec.stages : undefined);
    const input = spec.input.safeParse(rawInput ?? {});
    if (!input.success) {
      const issue = input.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.join('.');
      throw new CairnError('invalid_input', `${field || 'input'}: ${issue?.code === 'unrecognized_keys' ? 'is not a known field' : (issue?.message ?? 'is invalid')}`, field || undefined);
    }
    const output = spec.output.safeParse(await handlers[channel]({ ctx, actor, input: input.data, webContentsId: sender.webContentsId }));
    if (!output.success) throw new Error(`handler for ${channel} returned data outside its contract`);
    return { ok: true, value: output.data };
  } catch (err) {
    return { ok: false, error: toPublicError(err) };
  }
}
