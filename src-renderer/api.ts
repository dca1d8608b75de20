import { useCallback, useEffect, useState } from 'react';
import type { ChannelName } from '../src-preload/contract/channels';
import { CONTRACT, type ChannelInput, type ChannelOutput, type Result } from '../src-preload/contract/index';

export type Failure = Extract<Result<unknown>, { ok: false }>['error'];

/**
 * Calls main through the bridge, after checking the input with the channel's own contract schema
 * (the same one main checks it with), so a form shows a field's error without a round trip.
 */
export async function call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  const parsed = CONTRACT[channel].input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    return { ok: false, error: { code: 'invalid_input', message: `${field ? `${field}: ` : ''}${issue?.message ?? 'is invalid'}`, ...(field ? { field } : {}) } };
  }
  const result = await window.cairn.invoke(channel, input);
  // A sensitive act asks for a fresh proof of password and code: ask, then try once more.
  if (!result.ok && result.error.code === 'reauth_required' && reauthPrompt && (await reauthPrompt())) return window.cairn.invoke(channel, input);
  return result;
}

let reauthPrompt: (() => Promise<boolean>) | null = null;

/** The console's re-authentication dialog: resolves true once the user confirmed, false if cancelled. */
export function setReauthPrompt(prompt: (() => Promise<boolean>) | null): void {
  reauthPrompt = prompt;
}

/** Loads a channel's answer, and again whenever `reload` is called, the inputs change, or main says the store changed. */
export function useChannel<C extends ChannelName>(channel: C, input: ChannelInput<C>): { data: ChannelOutput<C> | null; error: Failure | null; reload: () => void } {
  const [state, setState] = useState<{ data: ChannelOutput<C> | null; error: Failure | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    void call(channel, JSON.parse(key) as ChannelInput<C>).then((r) => {
      if (live) setState(r.ok ? { data: r.value, error: null } : { data: null, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [channel, key, tick]);
  useEffect(() => window.cairn.on('status.changed', () => setTick((t) => t + 1)), []);
  return { ...state, reload: useCallback(() => setTick((t) => t + 1), []) };
}
