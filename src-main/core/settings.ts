import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { readSettings, writeSetting } from '../db/settings.js';
import { changedFields } from './audit.js';
import { renderMarkdown } from './markdown.js';
import { defineOperation } from './operation.js';
import { applyPatch } from './patch.js';
import { PUBLIC } from './permissions.js';
import { line, markdown } from './schemas.js';

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
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteName: 'Cairn',
  about: '',
  aboutHtml: '',
  timezone: 'UTC',
  locale: 'en',
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

const SettingsPatch = z.strictObject({
  siteName: line(120).optional(),
  about: markdown(5000).optional(),
  timezone: timezone.optional(),
  locale: locale.optional(),
});

export function loadSettings(db: Db): SiteSettings {
  const stored = readSettings(db);
  const pick = <K extends keyof SiteSettings>(key: K): SiteSettings[K] => {
    const value = stored.get(key);
    return typeof value === 'string' ? (value as SiteSettings[K]) : DEFAULT_SETTINGS[key];
  };
  return { siteName: pick('siteName'), about: pick('about'), aboutHtml: pick('aboutHtml'), timezone: pick('timezone'), locale: pick('locale') };
}

/** What any door may know of the site to present data: its name, timezone and locale. */
export const getSiteInfo = defineOperation({
  name: 'site.info',
  requires: PUBLIC,
  readOnly: true,
  input: z.strictObject({}),
  run(ctx): Pick<SiteSettings, 'siteName' | 'timezone' | 'locale'> {
    const { siteName, timezone: tz, locale: lang } = loadSettings(ctx.db);
    return { siteName, timezone: tz, locale: lang };
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
  run(ctx, patch): SiteSettings {
    const before = loadSettings(ctx.db);
    const after: SiteSettings = {
      ...applyPatch(before, patch),
      ...(patch.about === undefined ? {} : { aboutHtml: renderMarkdown(patch.about) }),
    };
    for (const key of Object.keys(after) as (keyof SiteSettings)[]) {
      if (after[key] !== before[key]) writeSetting(ctx.db, key, after[key], ctx.now);
    }
    ctx.audit({ action: 'settings.update', targetType: 'settings', details: changedFields(before, after, ['siteName', 'about', 'timezone', 'locale']) });
    return after;
  },
});
