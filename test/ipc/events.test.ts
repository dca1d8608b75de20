import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createComponent } from '../../src-main/core/components.js';
import { watchStore } from '../../src-main/ipc/events.js';
import { createAccount, identityCore, signInAs } from '../helpers/accounts.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('status.changed pushes', () => {
  it('fire once after a change, and not for a session merely being used', async () => {
    const w = identityCore();
    const account = await createAccount(w, 'admin@example.com', ['Administrator']);
    const { actor } = await signInAs(w, account);
    const events: string[] = [];
    const stop = watchStore(w.core, (event) => events.push(event), 20);
    try {
      w.core.authorizer.resolve(actor); // touches the session's last activity: a write, but not a change to show
      await tick(80);
      expect(events).toEqual([]);
      w.core.execute(createComponent, localOperator, { name: 'API', status: 1 });
      await tick(80);
      expect(events).toEqual(['status.changed']);
    } finally {
      stop();
    }
  });

  it('ends quietly when the store is closed under it', async () => {
    const w = identityCore();
    const events: string[] = [];
    watchStore(w.core, (event) => events.push(event), 10);
    w.db.close();
    await tick(60); // an uncaught error here would fail the run
    expect(events).toEqual([]);
  });
});
