import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../../core/actor.js';
import type { Core } from '../../core/core.js';
import { CairnError, toPublicError } from '../../core/errors.js';
import { confirmSubscription, getSubscription, subscribe, subscriptionOptions, unsubscribe, updateSubscription } from '../../core/notifications/subscriptions.js';
import { serverLink } from './layout.js';
import { CONTENT_TYPE, PublicSite } from './site.js';
import { renderConfirmPage, renderManagePage, renderNoticePage, renderSubscribePage } from './subscription-pages.js';

/**
 * Subscribe, confirm, manage and unsubscribe over plain HTML forms. Form bodies are accepted here
 * only (the API takes JSON alone). Nothing here is cached, and every answer says `no-store`:
 * the pages carry a subscriber's signed link.
 */

const FORM = 'application/x-www-form-urlencoded';
const STATUS: Partial<Record<string, number>> = { invalid_input: 400, rate_limited: 429, unavailable: 503, not_found: 404 };

/** The form's fields as the core's input: repeated checkboxes become a list; anything else is ignored. */
function formInput(form: URLSearchParams, fields: readonly ('email' | 'token' | 'components' | 'componentChanges')[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'components') input.components = form.getAll('components');
    else if (field === 'componentChanges') input.componentChanges = form.get('componentChanges') === '1';
    else if (form.has(field)) input[field] = form.get(field);
  }
  return input;
}

export function registerSubscriptions(app: FastifyInstance, core: Core): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => done(null, new URLSearchParams(body as string)));

    const visitor = (request: FastifyRequest) => anonymous({ kind: 'web', ip: request.ip });
    const frame = (request: FastifyRequest) => new PublicSite(core, visitor(request)).frame(serverLink);
    const send = (reply: FastifyReply, status: number, page: string) => reply.code(status).type(CONTENT_TYPE.html).header('cache-control', 'no-store').send(page);
    const form = (request: FastifyRequest): URLSearchParams => {
      if (!(request.body instanceof URLSearchParams)) throw new CairnError('invalid_input', 'Send the form as application/x-www-form-urlencoded');
      return request.body;
    };
    const tokenOf = (request: FastifyRequest): string => {
      const value = (request.query as { token?: unknown }).token;
      return typeof value === 'string' ? value : '';
    };
    /** A refusal as a page with the core's message, under the matching status. */
    const problem = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
      const { code, message } = toPublicError(err);
      const site = frame(request);
      return send(reply, STATUS[code] ?? 500, renderNoticePage(site, site.t.somethingWrong, message, 'alert'));
    };
    const options = (request: FastifyRequest) => core.execute(subscriptionOptions, visitor(request), {});

    scope.get('/subscribe', async (request, reply) => {
      const site = frame(request);
      const offered = options(request);
      if (!offered.enabled) return send(reply, 404, renderNoticePage(site, site.t.subscribeTitle, site.t.notOffered));
      return send(reply, 200, renderSubscribePage(site, offered.components));
    });

    scope.post('/subscribe', async (request, reply) => {
      const site = frame(request);
      try {
        const { message } = await core.executeAsync(subscribe, visitor(request), formInput(form(request), ['email', 'components', 'componentChanges']));
        return send(reply, 200, renderNoticePage(site, site.t.checkInbox, message));
      } catch (err) {
        const { code, message } = toPublicError(err);
        // A mistyped address is shown on the form again, with the reason.
        if (code === 'invalid_input' && options(request).enabled) return send(reply, 400, renderSubscribePage(site, options(request).components, message));
        return problem(request, reply, err);
      }
    });

    scope.get('/subscribe/confirm', async (request, reply) => send(reply, 200, renderConfirmPage(frame(request), tokenOf(request))));

    scope.post('/subscribe/confirm', async (request, reply) => {
      try {
        await core.executeAsync(confirmSubscription, visitor(request), formInput(form(request), ['token']));
        const site = frame(request);
        return send(reply, 200, renderNoticePage(site, site.t.confirmed, site.t.confirmedText));
      } catch (err) {
        return problem(request, reply, err);
      }
    });

    // The unsubscribe URL opened in a browser (a client without one-click) shows the manage page.
    for (const path of ['/subscription', '/subscription/unsubscribe']) {
      scope.get(path, async (request, reply) => {
        try {
          const token = tokenOf(request);
          return send(reply, 200, renderManagePage(frame(request), token, await core.executeAsync(getSubscription, visitor(request), { token })));
        } catch (err) {
          return problem(request, reply, err);
        }
      });
    }

    scope.post('/subscription', async (request, reply) => {
      try {
        const input = formInput(form(request), ['token', 'components', 'componentChanges']);
        const view = await core.executeAsync(updateSubscription, visitor(request), input);
        const site = frame(request);
        return send(reply, 200, renderManagePage(site, String(input.token), view, site.t.saved));
      } catch (err) {
        return problem(request, reply, err);
      }
    });

    // The form on the manage page, and RFC 8058 one-click: a POST to the List-Unsubscribe URL
    // (token in the query) with the body `List-Unsubscribe=One-Click`.
    scope.post('/subscription/unsubscribe', async (request, reply) => {
      try {
        const body = form(request);
        await core.executeAsync(unsubscribe, visitor(request), { token: body.get('token') ?? tokenOf(request) });
        const site = frame(request);
        return send(reply, 200, renderNoticePage(site, site.t.unsubscribed, site.t.unsubscribedText));
      } catch (err) {
        return problem(request, reply, err);
      }
    });
  });
}
