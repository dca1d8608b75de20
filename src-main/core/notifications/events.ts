import { enabledProviderKinds, insertOutboxEvent, underMaintenance } from '../../db/notifications.js';
import { getComponent } from '../../db/components.js';
import { isPublic } from '../../db/visibility.js';
import type { OperationContext } from '../operation.js';
import { loadNotificationSettings, type EventKind } from './settings.js';

/**
 * What a notification says about an event, captured when it happens (so a later edit does not
 * change what was announced) and rendered for each channel by messages.ts. The text is the
 * operator's Markdown and its sanitized HTML, made once by the core's renderer.
 */
export interface EventPayload {
  readonly title: string;
  readonly status: string;
  readonly markdown: string;
  readonly html: string;
  /** The page on the status site, for links. */
  readonly path: string;
  readonly subject: { readonly type: 'incident' | 'schedule' | 'component'; readonly id: number };
  readonly components: readonly { readonly id: number; readonly name: string }[];
  readonly at: number;
}

/**
 * Writes an event to the outbox, in the caller's transaction, if that kind notifies and some
 * provider is on. Only what the public may see is announced; a component status change is held
 * back during maintenance of that component when the settings say so.
 */
export function recordEvent(ctx: OperationContext, kind: EventKind, payload: Omit<EventPayload, 'at' | 'components'>, componentIds: readonly (number | null)[]): void {
  const settings = loadNotificationSettings(ctx.db);
  if (!settings.events[kind] || enabledProviderKinds(ctx.db).length === 0) return;
  const ids = [...new Set(componentIds.filter((c): c is number => c !== null && isPublic(ctx.db, 'components', c)))];
  if (kind === 'component.status' && (ids.length === 0 || (settings.suppressDuringMaintenance && ids.some((c) => underMaintenance(ctx.db, c))))) return;
  const components = ids.map((c) => ({ id: c, name: getComponent(ctx.db, c)?.name ?? '' }));
  insertOutboxEvent(ctx.db, kind, { ...payload, components, at: ctx.now }, ids, ctx.now);
}
