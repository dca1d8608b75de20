import type { SubscriptionView } from '../../core/notifications/subscriptions.js';
import { html, type SafeHtml } from '../../core/html.js';
import { layout, type SiteFrame } from './layout.js';

/**
 * The subscription pages: plain HTML forms that work without JavaScript. Every change is a POST
 * from one of these forms; the GET behind a mailed link only shows the form (a mail scanner
 * following links confirms or cancels nothing).
 */

interface ComponentChoice {
  readonly id: number;
  readonly name: string;
  readonly chosen: boolean;
}

function choices(site: SiteFrame, components: readonly ComponentChoice[], componentChanges: boolean): SafeHtml {
  const { t } = site;
  return html`${components.length > 0
    ? html`
      <fieldset>
        <legend>${t.componentsLegend}</legend>
        <p class="hint" id="components-hint">${t.componentsHint}</p>${components.map(
          (c) => html`
        <label><input type="checkbox" name="components" value="${c.id}"${c.chosen ? html` checked` : ''} aria-describedby="components-hint"> ${c.name}</label>`,
        )}
      </fieldset>`
    : ''}
      <label><input type="checkbox" name="componentChanges" value="1"${componentChanges ? html` checked` : ''}> ${t.componentChangesLabel}</label>`;
}

export function renderSubscribePage(site: SiteFrame, components: readonly { id: number; name: string }[], problem?: string): string {
  const { t } = site;
  return layout(
    site,
    t.pageTitle(t.subscribeTitle, site.siteName),
    html`
    <h2>${t.subscribeTitle}</h2>${problem ? html`
    <p class="problem" role="alert">${problem}</p>` : ''}
    <p>${t.subscribeIntro}</p>
    <form method="post" action="${site.link('/subscribe')}" class="subscribe">
      <label for="email">${t.emailLabel}</label>
      <input id="email" name="email" type="email" required maxlength="254" autocomplete="email">
      ${choices(site, components.map((c) => ({ ...c, chosen: false })), false)}
      <button type="submit">${t.subscribeButton}</button>
    </form>`,
  );
}

/** A page with one message: sent, confirmed, saved, unsubscribed, or what went wrong. */
export function renderNoticePage(site: SiteFrame, title: string, text: string, role: 'status' | 'alert' = 'status'): string {
  return layout(
    site,
    site.t.pageTitle(title, site.siteName),
    html`
    <h2>${title}</h2>
    <p role="${role}">${text}</p>
    <p><a href="${site.link('/')}">${site.t.backHome}</a></p>`,
  );
}

export function renderConfirmPage(site: SiteFrame, token: string): string {
  const { t } = site;
  return layout(
    site,
    t.pageTitle(t.confirmTitle, site.siteName),
    html`
    <h2>${t.confirmTitle}</h2>
    <p>${t.confirmIntro}</p>
    <form method="post" action="${site.link('/subscribe/confirm')}">
      <input type="hidden" name="token" value="${token}">
      <button type="submit">${t.confirmButton}</button>
    </form>`,
  );
}

export function renderManagePage(site: SiteFrame, token: string, view: SubscriptionView, notice?: string): string {
  const { t } = site;
  return layout(
    site,
    t.pageTitle(t.manageTitle, site.siteName),
    html`
    <h2>${t.manageTitle}</h2>${notice ? html`
    <p role="status">${notice}</p>` : ''}
    <p>${t.manageFor(view.email)}</p>
    <form method="post" action="${site.link('/subscription')}" class="subscribe">
      <input type="hidden" name="token" value="${token}">
      ${choices(site, view.components, view.componentChanges)}
      <button type="submit">${t.saveButton}</button>
    </form>
    <h3>${t.unsubscribeTitle}</h3>
    <form method="post" action="${site.link('/subscription/unsubscribe')}">
      <input type="hidden" name="token" value="${token}">
      <button type="submit">${t.unsubscribeButton}</button>
    </form>`,
  );
}
