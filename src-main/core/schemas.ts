import { z } from 'zod';

/**
 * Building blocks for the core's input schemas. Every field that crosses a boundary is bounded in
 * length and refuses control characters where a line of text is expected. Cachet clients send
 * numbers and booleans in several spellings ("1", 1, true); these accept exactly those.
 */

// C0 controls except TAB/LF/CR, DEL, and the C1 range; plus lone surrogates (not valid UTF-8 text).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const wellFormed = (s: string): boolean => !CONTROL.test(s) && !LONE_SURROGATE.test(s);

/** One line of text: trimmed, 1..max characters, no control characters or line breaks. */
export const line = (max = 255) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => wellFormed(s) && !LINE_BREAK.test(s), 'must be one line without control characters');

/** Optional line that may be empty. */
export const optionalLine = (max = 255) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => wellFormed(s) && !LINE_BREAK.test(s), 'must be one line without control characters');

/** Markdown source: line breaks allowed, other control characters not. */
export const markdown = (max = 20_000) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(wellFormed, 'must not contain control characters');

/** An http(s) URL. zod's z.url() alone accepts javascript: and data:, so the scheme is checked. */
export const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
  }, 'must be an http or https URL without credentials');

/** An integer sent as a number or a string of digits. */
export const int = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^-?\d{1,15}$/, 'must be a whole number').transform(Number)])
    .pipe(z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A positive database id. */
export const id = int(1, Number.MAX_SAFE_INTEGER);

/** A finite number sent as a number or a decimal string. */
export const decimal = z
  .union([z.number(), z.string().regex(/^-?\d{1,15}(\.\d{1,15})?$/, 'must be a number').transform(Number)])
  .pipe(z.number().refine(Number.isFinite, 'must be a finite number').refine((n) => Math.abs(n) <= 1e15, 'is too large'));

/** true/false, 1/0, "1"/"0", "true"/"false" as sent by different Cachet clients. */
export const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.enum(['0', '1', 'true', 'false'])])
  .transform((v) => v === true || v === 1 || v === '1' || v === 'true');

/** One of the given integer codes, sent as a number or a string. */
export const code = <const T extends readonly number[]>(codes: T) =>
  int(Math.min(...codes), Math.max(...codes)).refine(
    (n): n is T[number] => codes.includes(n),
    `must be one of ${codes.join(', ')}`,
  ) as unknown as z.ZodType<T[number], unknown>;

// ---- time -----------------------------------------------------------------------------------

/** A wall-clock time with no zone ("2026-12-10 10:00"), read in the site's timezone later. */
export interface LocalDateTime {
  readonly kind: 'local';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}
/** Either an exact instant (ms since epoch, UTC) or a wall-clock time to place in a timezone. */
export type TimeInput = { readonly kind: 'instant'; readonly ms: number } | LocalDateTime;

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31);
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseTime(value: string | number, ctx: z.RefinementCtx): TimeInput | typeof z.NEVER {
  const fail = () => {
    ctx.addIssue({ code: 'custom', message: 'must be unix seconds, ISO 8601, or "YYYY-MM-DD HH:MM"' });
    return z.NEVER;
  };
  if (typeof value === 'number' || /^\d{1,12}$/.test(value)) {
    const ms = Number(value) * 1000;
    return Number.isSafeInteger(ms) && ms >= MIN_TIME && ms <= MAX_TIME ? { kind: 'instant', ms } : fail();
  }
  if (ISO_WITH_ZONE.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) && ms >= MIN_TIME && ms <= MAX_TIME ? { kind: 'instant', ms } : fail();
  }
  const m = LOCAL.exec(value);
  if (!m) return fail();
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0)) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const valid =
    probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day &&
    probe.getUTCHours() === hour && probe.getUTCMinutes() === minute && probe.getUTCSeconds() === second;
  return valid ? { kind: 'local', year, month, day, hour, minute, second } : fail();
}

export const time = z.union([z.number().int(), z.string().trim().max(40)]).transform(parseTime);

/** The instant a TimeInput means, placing wall-clock times in `timeZone` (an IANA name). */
export function resolveTime(t: TimeInput, timeZone: string): number {
  if (t.kind === 'instant') return t.ms;
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // The zone's offset at that moment; a second pass settles times near a DST change.
  let guess = asUtc - zoneOffset(asUtc, timeZone);
  guess = asUtc - zoneOffset(guess, timeZone);
  return guess;
}

function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

// ---- lists ----------------------------------------------------------------------------------

/**
 * Paging and sorting for a list: `sort` only from the resource's allowlist, and filters only
 * those the resource declares (the object is strict, so an unknown filter is an error, not SQL).
 */
export function listQuery<const K extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sortKeys: K,
  defaultSort: K[number],
  filters: F,
) {
  return z.strictObject({
    page: int(1, 1_000_000).default(1),
    perPage: int(1, 100).default(20),
    sort: z.enum(sortKeys).default(defaultSort),
    order: z.enum(['asc', 'desc']).default('asc'),
    ...filters,
  });
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

/**
 * An e-mail address as a mail header can safely carry it: one line, no display name, no
 * control characters (CR/LF would allow header injection), at most 254 characters (RFC 5321).
 */
export const emailAddress = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address'))
  .transform((e) => e.toLowerCase());
