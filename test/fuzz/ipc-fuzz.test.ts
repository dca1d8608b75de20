import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src-main/ipc/handlers.js';
import { dispatch, type IpcContext } from '../../src-main/ipc/router.js';
import { ConsoleSessions } from '../../src-main/ipc/sessions.js';
import { CHANNEL_NAMES } from '../../src-preload/contract/channels.js';
import { createAccount, identityCore, signInAs } from '../helpers/accounts.js';
import { contentHash } from '../helpers/store.js';
import { aComponent, anIncident } from '../helpers/world.js';
import { adversarialJson } from './arbitraries.js';

/**
 * Property-based fuzzing of every IPC channel through the real dispatch(): adversarial payloads
 * from a signed-in Administrator's window, an anonymous window, and forged senders. Invariants:
 * dispatch always resolves to a Result (nothing is thrown at the renderer), a refusal carries a
 * stable code and never `internal`, and a refused call changes nothing (its audit entry, the
 * session's last activity and the sign-in throttle aside).
 */

const RUNS = Number(process.env.FUZZ_RUNS_IPC ?? 400);
const ORIGIN = 'app://cairn';
const CODES = ['invalid_input', 'unauthenticated', 'forbidden', 'reauth_required', 'not_found', 'conflict', 'rate_limited', 'unavailable'];
const VOLATILE = ['audit_log', 'sessions', 'sign_in_throttle', 'security_alerts'];
// Signing out would end the fuzzing window's session; it takes no input worth fuzzing.
const CHANNELS = CHANNEL_NAMES.filter((c) => c !== 'session.signOut');

describe('the IPC bridge under property-based fuzzing', () => {
  it(`always answers a Result with a stable code, and a refusal changes nothing (${RUNS} calls)`, async () => {
    const w = identityCore();
    const admin = await createAccount(w, 'admin@example.com', ['Administrator']);
    const component = aComponent(w.core);
    anIncident(w.core, { componentId: component.id });
    const ctx: IpcContext = { core: w.core, trustedOrigin: ORIGIN, sessions: new ConsoleSessions(w.core), mode: 'production' };
    ctx.sessions.set(1, (await signInAs(w, admin)).token, 'full');
    const senders = [
      { webContentsId: 1, origin: ORIGIN, isMainFrame: true }, // the Administrator's window
      { webContentsId: 2, origin: ORIGIN, isMainFrame: true }, // a window nobody signed in on
      { webContentsId: 1, origin: ORIGIN, isMainFrame: false }, // a subframe of the signed-in window
      { webContentsId: 1, origin: 'https://evil.example', isMainFrame: true },
    ];
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), fc.constantFrom(...senders), fc.oneof(adversarialJson, fc.constant(undefined), fc.constant(null)), async (channel, sender, input) => {
        const before = contentHash(w.db, VOLATILE);
        let result: Awaited<ReturnType<typeof dispatch>>;
        try {
          result = await dispatch(ctx, HANDLERS, channel, sender, input);
        } catch (err) {
          throw new Error(`dispatch threw for ${channel}: ${(err as Error).message}`, { cause: err });
        }
        if (result.ok) return;
        refused++;
        expect(CODES, `${channel} ${JSON.stringify(input)?.slice(0, 200)}`).toContain(result.error.code);
        expect(typeof result.error.message).toBe('string');
        expect(result.error.message).not.toMatch(/\n\s+at /); // never a stack trace
        expect(contentHash(w.db, VOLATILE), `${channel} changed the store while refusing`).toBe(before);
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
  }, 300_000);
});
