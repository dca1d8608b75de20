import { describe, expect, it } from 'vitest';
import { anonymous, type Actor } from '../../src-main/core/actor.js';
import { HANDLERS } from '../../src-main/ipc/handlers.js';
import { dispatch, type IpcContext } from '../../src-main/ipc/router.js';
import { CHANNEL_NAMES } from '../../src-preload/contract/channels.js';
import { CONTRACT } from '../../src-preload/contract/index.js';
import { testCore } from '../helpers/store.js';

const ORIGIN = 'app://cairn';
const fromConsole = { webContentsId: 1, origin: ORIGIN, isMainFrame: true };

function context(actor: Actor = anonymous({ kind: 'console' })): IpcContext {
  return { core: testCore().core, trustedOrigin: ORIGIN, actorFor: () => actor, mode: 'production' };
}

describe('the IPC contract', () => {
  it('has exactly one handler per channel, and the name list matches the schemas', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(CONTRACT).sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});

describe('dispatch', () => {
  it('answers a call from our own main frame', () => {
    expect(dispatch(context(), HANDLERS, 'app.info', fromConsole, {})).toEqual({ ok: true, value: { name: 'Cairn', version: '0.1.0', mode: 'production' } });
  });

  it.each([
    ['another origin', { ...fromConsole, origin: 'https://evil.example' }],
    ['an opaque origin', { ...fromConsole, origin: 'null' }],
    ['a subframe of our origin', { ...fromConsole, isMainFrame: false }],
  ])('refuses a sender from %s', (_label, sender) => {
    for (const channel of CHANNEL_NAMES) {
      expect(dispatch(context(), HANDLERS, channel, sender, {})).toEqual({ ok: false, error: { code: 'forbidden', message: 'This request did not come from the Cairn console' } });
    }
  });

  it('refuses malformed input with a clear message', () => {
    for (const channel of CHANNEL_NAMES) {
      const result = dispatch(context(), HANDLERS, channel, fromConsole, { unexpected: true });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('hides handler failures behind an internal error', () => {
    const broken = { ...HANDLERS, 'app.info': () => ({ name: 'Cairn', secret: 'leak' }) };
    const result = dispatch(context(), broken, 'app.info', fromConsole, {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error; the operator can find details in the log' } });
  });
});
