import { CairnError } from '../../core/errors.js';

/**
 * Cachet's field names (snake_case) and the core's (camelCase). Bodies and query strings are
 * renamed on the way in, error fields on the way out, so a Cachet client sees only its own names.
 * Names that are the same in both (name, status, order…) need no entry.
 */
const CACHET_TO_CORE: Readonly<Record<string, string>> = {
  group_id: 'groupId',
  component_id: 'componentId',
  component_status: 'componentStatus',
  occurred_at: 'occurredAt',
  scheduled_at: 'scheduledAt',
  completed_at: 'completedAt',
  created_at: 'createdAt',
  default_value: 'defaultValue',
  calc_type: 'calcType',
  display_chart: 'displayChart',
  default_view: 'defaultView',
  per_page: 'perPage',
};

const CORE_TO_CACHET: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CACHET_TO_CORE).map(([k, v]) => [v, k]));

/** Query values that name a field (sort=created_at) are renamed like the fields themselves. */
const FIELD_VALUED = new Set(['sort']);

export const toCoreName = (name: string): string => CACHET_TO_CORE[name] ?? name;
export const toCachetName = (name: string): string => CORE_TO_CACHET[name] ?? name;

/**
 * A JSON body with Cachet's names turned into the core's. A core name sent as is (groupId) is kept
 * and reaches the core's strict schema like any other field; the body itself must be an object.
 */
export function bodyToCore(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new CairnError('invalid_input', 'The request body must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = toCoreName(key);
    if (Object.hasOwn(out, name)) throw new CairnError('invalid_input', `${key}: is given twice, under two names`, key);
    out[name] = value;
  }
  return out;
}

/**
 * A query string as the core takes it. Every parameter must be one plain value: a repeated
 * parameter or PHP-style `a[]=` / `a[b]=` arrives as a list or an unknown name and is refused,
 * never passed on as a filter (Cachet's CVE-2021-39165 used exactly such parameters).
 */
export function queryToCore(query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new CairnError('invalid_input', `${key}: give one value (lists and repeated parameters are not accepted)`, key);
    }
    const name = toCoreName(key);
    out[name] = FIELD_VALUED.has(key) ? toCoreName(value) : value;
  }
  return out;
}

/** A core error about a field, told with the Cachet name of that field. */
export function errorInCachetNames(err: unknown): unknown {
  if (!(err instanceof CairnError) || err.field === undefined) return err;
  const [first, ...rest] = err.field.split('.');
  const cachet = [toCachetName(first!), ...rest].join('.');
  const detail = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
  // Allowed values quoted in the message (sort keys) are field names too.
  const message = `${cachet}: ${detail.replace(/"(\w+)"/g, (_m, name: string) => `"${toCachetName(name)}"`)}`;
  return message === err.message && cachet === err.field ? err : new CairnError(err.code, message, cachet);
}
