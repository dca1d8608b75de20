import { html, safe } from '../html.js';
import { CairnError } from '../errors.js';
import type { EventPayload } from './events.js';

/** An e-mail as the SMTP transport sends it: every header value here is one line (checked). */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Extra headers: RFC 8058 one-click unsubscribe on subscriber mail. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A JSON body for a webhook or Slack POST. */
export interface HttpMessage {
  readonly body: string;
}

export interface SiteContext {
  readonly siteName: string;
  /** The status page's public address, without a trailing slash. */
  readonly publicUrl: string;
}

/**
 * Header injection cannot happen: names and titles are one-line by their input schemas, and this
 * refuses anything with a line break or control character again at the point of use.
 */
export function headerValue(value: string, what: string): string {
  if (/[\r\n\p{Cc}]/u.test(value)) throw new CairnError('invalid_input', `${what} contains a line break or control character and cannot be put in a mail header`);
  return value;
}

const footer = (site: SiteContext, manageUrl: string) => ({
  text: `\n\n--\nYou receive this because you subscribed to ${site.siteName} status updates.\nChange what you receive or unsubscribe: ${manageUrl}\n`,
  html: html`<hr><p style="color:#555;font-size:13px">You receive this because you subscribed to ${site.siteName} status updates.
<a href="${manageUrl}">Change what you receive or unsubscribe</a>.</p>`,
});

const page = (title: string, body: ReturnType<typeof html>): string =>
  html`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40em">${body}</body></html>`.toString();

const unsubscribeHeaders = (unsubscribeUrl: string) => ({
  'List-Unsubscribe': `<${headerValue(unsubscribeUrl, 'The unsubscribe link')}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

/** A subscriber's mail about an event: text and HTML made from the same sanitized content. */
export function eventEmail(site: SiteContext, event: EventPayload, to: string, links: { manage: string; unsubscribe: string }): EmailMessage {
  const subject = headerValue(`[${site.siteName}] ${event.title}: ${event.status}`, 'The subject');
  const url = `${site.publicUrl}${event.path}`;
  const end = footer(site, links.manage);
  const affected = event.components.length > 0 ? `Affected: ${event.components.map((c) => c.name).join(', ')}\n` : '';
  return {
    to,
    subject,
    text: `${event.title}\nStatus: ${event.status}\n${affected}\n${event.markdown}\n\nDetails: ${url}${end.text}`,
    html: page(
      subject,
      html`<h1 style="font-size:20px">${event.title}</h1><p><strong>${event.status}</strong>${event.components.length > 0 ? html` · Affected: ${event.components.map((c) => c.name).join(', ')}` : ''}</p>
${safe(event.html)}<p><a href="${url}">Details on the status page</a></p>${end.html}`,
    ),
    headers: unsubscribeHeaders(links.unsubscribe),
  };
}

/** The double opt-in mail: nothing is sent to the address until its owner follows this link. */
export function confirmEmail(site: SiteContext, to: string, confirmUrl: string): EmailMessage {
  const subject = headerValue(`Confirm your subscription to ${site.siteName} status updates`, 'The subject');
  return {
    to,
    subject,
    text: `Someone, probably you, asked to receive ${site.siteName} status updates at this address.\n\nTo confirm, open this link within 48 hours:\n${confirmUrl}\n\nIf it was not you, ignore this mail: you will receive nothing more, and the address is forgotten after a while.\n`,
    html: page(
      subject,
      html`<p>Someone, probably you, asked to receive ${site.siteName} status updates at this address.</p>
<p><a href="${confirmUrl}">Confirm the subscription</a> (within 48 hours).</p>
<p>If it was not you, ignore this mail: you will receive nothing more, and the address is forgotten after a while.</p>`,
    ),
    headers: {},
  };
}

/** Sent when an already-confirmed address is subscribed again: the answer on the page is the same either way. */
export function manageEmail(site: SiteContext, to: string, links: { manage: string; unsubscribe: string }): EmailMessage {
  const subject = headerValue(`Your ${site.siteName} status subscription`, 'The subject');
  return {
    to,
    subject,
    text: `Someone asked to subscribe this address to ${site.siteName} status updates. It is subscribed already; nothing has changed.\n\nChange what you receive or unsubscribe: ${links.manage}\n`,
    html: page(
      subject,
      html`<p>Someone asked to subscribe this address to ${site.siteName} status updates. It is subscribed already; nothing has changed.</p>
<p><a href="${links.manage}">Change what you receive or unsubscribe</a>.</p>`,
    ),
    headers: unsubscribeHeaders(links.unsubscribe),
  };
}

/** The generic webhook's JSON: the event, its content, and the delivery id receivers de-duplicate on. */
export function webhookMessage(site: SiteContext, kind: string, event: EventPayload, deliveryKey: string): HttpMessage {
  return {
    body: JSON.stringify({
      id: deliveryKey,
      event: kind,
      site: { name: site.siteName, url: site.publicUrl },
      occurredAt: new Date(event.at).toISOString(),
      subject: event.subject,
      title: event.title,
      status: event.status,
      message: event.markdown,
      messageHtml: event.html,
      url: `${site.publicUrl}${event.path}`,
      components: event.components,
    }),
  };
}

/** Slack's incoming-webhook JSON; its mrkdwn needs &, < and > escaped. */
export function slackMessage(site: SiteContext, event: EventPayload): HttpMessage {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const url = `${site.publicUrl}${event.path}`;
  return { body: JSON.stringify({ text: `*${esc(event.title)}*: ${esc(event.status)}\n${esc(event.markdown)}\n<${esc(url)}|Details>` }) };
}
