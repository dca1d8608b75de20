import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { deleteLogo, readLogo, readLogoType, readSettings, writeLogo, writeSetting } from '../db/settings.js';
import { changedFields } from './audit.js';
import { renderMarkdown } from './markdown.js';
import { defineOperation } from './operation.js';
import { applyPatch } from './patch.js';
import { PUBLIC } from './permissions.js';
import { CairnError } from './errors.js';
import { line, markdown } from './schemas.js';
import { providerEnabled } from '../db/notifications.js';
import { accentColour, accentColourDark, DEFAULT_ACCENT, DEFAULT_ACCENT_DARK, LOGO_MAX_BYTES, LOGO_TYPES, logoPath, sniffLogoType, type LogoType } from './theme.js';

/**
 * Site settings. Values are stored as JSON in SQLite and never written to any config file or
 * environment, and never interpreted: `${VAR}` or a newline is kept (or refused) literally
 * (Cachet CVE-2021-39172/39174 wrote settings into .env).
 */
export interface SiteSettings {
  readonly siteName: string;
  readonly about: string;
  readonly aboutHtml: string;
  readonly timezone: string;
  readonly locale: string;
  /** The status page's accent colours (see theme.ts). */
  readonly accentColor: string;
  readonly accentColorDark: string;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteName: 'Cairn',
  about: '',
  aboutHtml: '',
  timezone: 'UTC',
  locale: 'en',
  accentColor: DEFAULT_ACCENT,
  accentColorDark: DEFAULT_ACCENT_DARK,
};

export const timezone = z
  .string()
  .trim()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return /^[A-Za-z0-9_+\-/]+$/.test(tz);
    } catch {
      return false;
    }
  }, 'must be an IANA timezone such as Europe/Berlin');

const locale = z
  .string()
  .trim()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1 && /^[A-Za-z0-9-]+$/.test(tag);
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag such as en or de-CH');

/**
 * A logo as sent: its claimed type and base64 bytes. Parsed into bytes that are checked to be
 * exactly that type (magic bytes) and at most LOGO_MAX_BYTES; SVG is not a type it accepts.
 */
const logoInput = z
  .strictObject({
    type: z.enum(Object.keys(LOGO_TYPES) as [LogoType, ...LogoType[]], { error: 'must be image/png, image/jpeg, image/gif or image/webp (SVG can carry script and is not accepted)' }),
    dataBase64: z
      .string()
      .max(Math.ceil(LOGO_MAX_BYTES / 3) * 4, `must be at most ${LOGO_MAX_BYTES / 1024} KiB`)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .transform(({ type, dataBase64 }, ctx) => {
    const bytes = Buffer.from(dataBase64, 'base64');
    const actual = sniffLogoType(bytes);
    if (bytes.length === 0 || bytes.length > LOGO_MAX_BYTES) ctx.addIssue({ code: 'custom', path: ['dataBase64'], message: `must be 1 byte to ${LOGO_MAX_BYTES / 1024} KiB` });
    else if (actual !== type) ctx.addIssue({ code: 'custom', path: ['dataBase64'], message: `is not a ${type} image${actual ? ` (it is ${actual})` : ''}` });
    return { type, bytes };
  });

const SettingsPatch = z.strictObject({
  siteName: line(120).optional(),
  about: markdown(5000).optional(),
  timezone: timezone.optional(),
  locale: locale.optional(),
  accentColor: accentColour.optional(),
  accentColorDark: accentColourDark.optional(),
  /** A new logo, or null to remove it (also its own operations below). */
  logo: logoInput.nullable().optional(),
});

export function loadSettings(db: Db): SiteSettings {
  const stored = readSettings(db);
  const pick = <K extends keyof SiteSettings>(key: K): SiteSettings[K] => {
    const value = stored.get(key);
    return typeof value === 'string' ? (value as SiteSettings[K]) : DEFAULT_SETTINGS[key];
  };
  return {
    siteName: pick('siteName'),
    about: pick('about'),
    aboutHtml: pick('aboutHtml'),
    timezone: pick('timezone'),
    locale: pick('locale'),
    accentColor: pick('accentColor'),
    accentColorDark: pick('accentColorDark'),
  };
}

export interface SiteInfo extends Pick<SiteSettings, 'siteName' | 'timezone' | 'locale' | 'accentColor' | 'accentColorDark'> {
  /** Where the public logo is served, if there is one. */
  readonly logoPath: string | null;
  /** Whether visitors can subscribe by e-mail (the SMTP provider is on). */
  readonly subscriptions: boolean;
}

/** What any door may know of the site to present data: its name, timezone, locale and theme. */
export const getSiteInfo = defineOperation({
  name: 'site.info',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): SiteInfo {
    const { siteName, timezone: tz, locale: lang, accentColor, accentColorDark } = loadSettings(ctx.db);
    const logo = readLogoType(ctx.db);
    return { siteName, timezone: tz, locale: lang, accentColor, accentColorDark, logoPath: logo ? logoPath(logo as LogoType) : null, subscriptions: providerEnabled(ctx.db, 'smtp') };
  },
});

export const getSettings = defineOperation({
  name: 'settings.get',
  requires: 'settings.manage',
  readOnly: true,
  input: z.strictObject({}),
  run: (ctx) => loadSettings(ctx.db),
});

export const updateSettings = defineOperation({
  name: 'settings.update',
  requires: 'settings.manage',
  input: SettingsPatch,
  run(ctx, { logo, ...patch }): SiteSettings {
    const before = loadSettings(ctx.db);
    const after: SiteSettings = {
      ...applyPatch(before, patch),
      ...(patch.about === undefined ? {} : { aboutHtml: renderMarkdown(patch.about) }),
    };
    for (const key of Object.keys(after) as (keyof SiteSettings)[]) {
      if (after[key] !== before[key]) writeSetting(ctx.db, key, after[key], ctx.now);
    }
    const details = changedFields(before, after, ['siteName', 'about', 'timezone', 'locale', 'accentColor', 'accentColorDark']);
    if (logo !== undefined) {
      const logoBefore = readLogoType(ctx.db) ?? null;
      if (logo === null) deleteLogo(ctx.db);
      else writeLogo(ctx.db, logo.type, logo.bytes, ctx.now);
      Object.assign(details, { logo: [logoBefore, logo?.type ?? null] });
    }
    ctx.audit({ action: 'settings.update', targetType: 'settings', details });
    return after;
  },
});

/** Sets the public logo: a raster image (PNG, JPEG, GIF, WebP) whose bytes must be what it claims. */
export const setLogo = defineOperation({
  name: 'settings.setLogo',
  requires: 'settings.manage',
  input: logoInput,
  run(ctx, logo): { type: LogoType; bytes: number; path: string } {
    const before = readLogoType(ctx.db);
    writeLogo(ctx.db, logo.type, logo.bytes, ctx.now);
    ctx.audit({ action: 'settings.setLogo', targetType: 'settings', details: { type: [before ?? null, logo.type], bytes: logo.bytes.length } });
    return { type: logo.type, bytes: logo.bytes.length, path: logoPath(logo.type) };
  },
});

export const removeLogo = defineOperation({
  name: 'settings.removeLogo',
  requires: 'settings.manage',
  input: z.strictObject({}),
  run(ctx): { removed: boolean } {
    const removed = deleteLogo(ctx.db);
    ctx.audit({ action: 'settings.removeLogo', targetType: 'settings', details: { removed } });
    return { removed };
  },
});

/** The public logo's bytes, type and the path it is served at, or not found. */
export const getPublicLogo = defineOperation({
  name: 'public.logo',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): { type: LogoType; bytes: Buffer; path: string } {
    const logo = readLogo(ctx.db);
    if (!logo) throw new CairnError('not_found', 'There is no logo');
    return { type: logo.type as LogoType, bytes: logo.bytes, path: logoPath(logo.type as LogoType) };
  },
});
