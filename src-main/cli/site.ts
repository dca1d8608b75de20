import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { localOperator } from '../core/actor.js';
import { definedFields } from '../core/patch.js';
import { CairnError } from '../core/errors.js';
import { getSettings, updateSettings, type SiteSettings } from '../core/settings.js';
import { LOGO_MAX_BYTES, LOGO_TYPES, type LogoType } from '../core/theme.js';
import { defineCommand } from './command.js';
import { withCore } from './open-core.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/** `cairn site show|set`: the public site's name, about text, timezone, locale, theme and logo. */

const shown = (s: SiteSettings) =>
  Object.entries(s)
    .filter(([k]) => k !== 'aboutHtml')
    .map(([k, v]) => `${k.padEnd(16)} ${JSON.stringify(v)}`)
    .join('\n');

export const siteShow = defineCommand({
  name: 'site show',
  summary: 'show the public site settings (name, about text, timezone, locale, accent colours)',
  usage: [dataDirUsage],
  options: dataDirFlag,
  schema: z.strictObject({ 'data-dir': dataDirOption }),
  async run(args, io) {
    const settings = await withCore(args['data-dir'], io.env, (core) => core.executeAsync(getSettings, localOperator, {}));
    return { json: settings, text: shown(settings) };
  },
});

const path = z.string().min(1, 'must not be empty').max(4096, 'is too long').refine((p) => !p.includes('\0'), 'must not contain NUL');

/** Reads a file the operator named, refusing anything too large before reading it. */
function readBounded(file: string, max: number, field: string): Buffer {
  const size = statSync(file).size;
  if (size > max) throw new CairnError('invalid_input', `${field}: ${file} is ${size} bytes; at most ${max} are accepted`, field);
  return readFileSync(file);
}

export const siteSet = defineCommand({
  name: 'site set',
  summary: 'change public site settings; every value is checked as the console would check it',
  usage: [
    '--name N              site name',
    '--about-file F        about text (Markdown) from a file',
    '--timezone TZ         IANA timezone for dates on the page, e.g. Europe/Berlin',
    '--locale L            language tag, e.g. en or de-CH',
    '--accent-color C      #rrggbb for links in the light theme (needs 4.5:1 contrast on white)',
    '--accent-color-dark C #rrggbb for the dark theme (4.5:1 on its background)',
    '--logo F              PNG, JPEG, GIF or WebP, at most 256 KiB (no SVG)',
    '--no-logo             remove the logo',
    dataDirUsage,
  ],
  options: {
    ...dataDirFlag,
    name: { type: 'string' },
    'about-file': { type: 'string' },
    timezone: { type: 'string' },
    locale: { type: 'string' },
    'accent-color': { type: 'string' },
    'accent-color-dark': { type: 'string' },
    logo: { type: 'string' },
    'no-logo': { type: 'boolean' },
  },
  schema: z
    .strictObject({
      'data-dir': dataDirOption,
      name: z.string().optional(),
      'about-file': path.optional(),
      timezone: z.string().optional(),
      locale: z.string().optional(),
      'accent-color': z.string().optional(),
      'accent-color-dark': z.string().optional(),
      logo: path.optional(),
      'no-logo': z.boolean().optional(),
    })
    .refine((a) => !(a.logo && a['no-logo']), { message: 'give --logo or --no-logo, not both', path: ['logo'] })
    .refine((a) => Object.entries(a).some(([k, v]) => k !== 'data-dir' && v !== undefined), { message: 'say what to change (see --help)' }),
  async run(args, io) {
    const patch = definedFields({
      siteName: args.name,
      about: args['about-file'] === undefined ? undefined : readBounded(args['about-file'], 64 * 1024, 'about-file').toString('utf8'),
      timezone: args.timezone,
      locale: args.locale,
      accentColor: args['accent-color'],
      accentColorDark: args['accent-color-dark'],
      logo: args['no-logo'] ? null : args.logo === undefined ? undefined : logoFile(args.logo),
    });
    // One operation: every value is checked (the logo's bytes against its type too) before anything is written.
    const settings = await withCore(args['data-dir'], io.env, async (core) => {
      core.execute(updateSettings, localOperator, patch);
      return core.executeAsync(getSettings, localOperator, {});
    });
    return { json: settings, text: `Site settings saved.\n${shown(settings)}` };
  },
});

/** The logo file as the core takes it: the type its name claims, and its bytes (which the core checks). */
function logoFile(file: string): { type: LogoType; dataBase64: string } {
  const extension = extname(file).toLowerCase();
  const type = (Object.keys(LOGO_TYPES) as LogoType[]).find((t) => `.${LOGO_TYPES[t].ext}` === extension || (t === 'image/jpeg' && extension === '.jpeg'));
  if (!type) throw new CairnError('invalid_input', 'logo: is not a PNG, JPEG, GIF or WebP image', 'logo');
  return { type, dataBase64: readBounded(file, LOGO_MAX_BYTES, 'logo').toString('base64') };
}

export const SITE_COMMANDS = [siteShow, siteSet];
