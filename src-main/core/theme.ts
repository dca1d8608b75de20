import { z } from 'zod';

/**
 * The status page's theme: two accent colours (links and focus rings), one for the light and one
 * for the dark scheme, each a plain #rrggbb refused unless it keeps WCAG 2.1 AA
 * text contrast (4.5:1) against that scheme's background. No CSS, fonts or HTML from operators:
 * the stylesheet is written by Cairn from these values alone (Cachet's custom header/footer HTML
 * and stylesheet were a stored-XSS and defacement vector).
 */

export const LIGHT_BACKGROUND = '#ffffff';
export const DARK_BACKGROUND = '#0d1117';
export const MIN_CONTRAST = 4.5;

const channel = (hex: string, at: number) => {
  const c = parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
/** WCAG 2.1 relative luminance of #rrggbb. */
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** WCAG 2.1 contrast ratio of two #rrggbb colours (1 … 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const hexColour = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb')
  .transform((c) => c.toLowerCase());

const readableOn = (background: string, scheme: string) =>
  hexColour.refine((c) => contrast(c, background) >= MIN_CONTRAST, {
    message: `must have a contrast of at least ${MIN_CONTRAST}:1 against the ${scheme} background ${background} (WCAG 2.1 AA)`,
  });

export const accentColour = readableOn(LIGHT_BACKGROUND, 'light');
export const accentColourDark = readableOn(DARK_BACKGROUND, 'dark');

export const DEFAULT_ACCENT = '#0969da';
export const DEFAULT_ACCENT_DARK = '#4493f8';

// ---- the logo ---------------------------------------------------------------------------------------

export const LOGO_MAX_BYTES = 256 * 1024;

/** Raster types only, each recognised by its magic bytes. SVG is not an image here: it can carry script. */
export const LOGO_TYPES = {
  'image/png': { ext: 'png', magic: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { ext: 'jpg', magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': { ext: 'gif', magic: (b: Buffer) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  'image/webp': { ext: 'webp', magic: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
} as const;
export type LogoType = keyof typeof LOGO_TYPES;

/** The type a logo's bytes are, or undefined for anything that is not one of LOGO_TYPES. */
export function sniffLogoType(bytes: Buffer): LogoType | undefined {
  return (Object.keys(LOGO_TYPES) as LogoType[]).find((type) => LOGO_TYPES[type].magic(bytes));
}

/** The site path a logo is served at, by its type (so static hosts serve it with the right type). */
export const logoPath = (type: LogoType): string => `/assets/logo.${LOGO_TYPES[type].ext}`;
