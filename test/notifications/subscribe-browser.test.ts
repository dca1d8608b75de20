import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createIncident } from '../../src-main/core/incidents.js';
import { DeliveryWorker } from '../../src-main/notify/worker.js';
import { axeViolations, sharedBrowser } from '../helpers/browser.js';
import { enableEmail, startSmtp } from '../helpers/notify.js';
import { startServer } from '../helpers/server.js';
import { testCore } from '../helpers/store.js';
import { aComponent } from '../helpers/world.js';

/** The whole opt-in, in Debian's Chromium with JavaScript off: every step is a plain HTML form. */
describe('subscribing in a browser without JavaScript', () => {
  it('subscribes to one component, confirms by the mailed link, gets only that component’s news, and unsubscribes from the mail', async () => {
    const { core, db } = testCore();
    const api = aComponent(core, { name: 'API' });
    const website = aComponent(core, { name: 'Website' });
    const url = await startServer(core);
    const mailbox = await startSmtp();
    await enableEmail(core, mailbox, { publicUrl: url });
    const worker = new DeliveryWorker(core);
    const linkIn = (text: string | undefined, path: string) => new RegExp(`${url}${path}\\?token=\\S+`).exec(text ?? '')![0];

    const context = await (await sharedBrowser()).newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('link', { name: 'Subscribe' }).click();
    await page.getByLabel('E-mail address').fill('reader@example.com');
    await page.getByLabel('API').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await expect(page.getByRole('heading', { name: 'Check your inbox' }).isVisible()).resolves.toBe(true);

    await worker.tick();
    const [confirmation] = await mailbox.waitFor(1);
    expect(confirmation!.subject).toBe('Confirm your subscription to Cairn status updates');
    await page.goto(linkIn(confirmation!.text, '/subscribe/confirm'));
    expect(db.prepare('SELECT verified_at FROM subscribers').get()).toEqual({ verified_at: null }); // opening the link alone does nothing
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await expect(page.getByRole('heading', { name: 'You are subscribed' }).isVisible()).resolves.toBe(true);

    core.execute(createIncident, localOperator, { name: 'Website slow', message: 'Looking', status: 1, componentId: website.id });
    core.execute(createIncident, localOperator, { name: 'API errors', message: 'Looking', status: 1, componentId: api.id });
    await worker.tick();
    const mails = await mailbox.waitFor(2);
    expect(mails.map((m) => m.subject)).toEqual(['Confirm your subscription to Cairn status updates', '[Cairn] API errors: Investigating']);

    await page.goto(linkIn(mails[1]!.text, '/subscription'));
    expect(await page.getByLabel('API').isChecked()).toBe(true);
    expect(await page.getByLabel('Website').isChecked()).toBe(false);
    // axe runs as script, so the accessibility check of both forms uses a second, scripted context.
    const scripted = await (await sharedBrowser()).newContext();
    const checker = await scripted.newPage();
    for (const address of [`${url}/subscribe`, page.url()]) {
      await checker.goto(address);
      expect(await axeViolations(checker), address).toEqual([]);
    }
    await scripted.close();
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect(page.getByRole('heading', { name: 'You are unsubscribed' }).isVisible()).resolves.toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM subscribers').get()).toEqual({ n: 0 });
    await context.close();
  });
});
