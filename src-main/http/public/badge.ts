import { escapeXml } from './feeds.js';

/**
 * A small status badge (SVG) in the style of the usual README badges. Both texts are escaped for
 * XML, and the SVG holds no script, link or external reference.
 */
const COLOURS = { success: '#1a7f37', info: '#9a6700', error: '#cf222e', maintenance: '#0969da', unknown: '#57606a' } as const;
export type BadgeTone = keyof typeof COLOURS;

const width = (text: string): number => Math.round(text.length * 6.6 + 12);

export function renderBadge(label: string, message: string, tone: BadgeTone): string {
  const lw = width(label);
  const mw = width(message);
  const total = lw + mw;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${escapeXml(`${label}: ${message}`)}">
  <title>${escapeXml(`${label}: ${message}`)}</title>
  <rect width="${lw}" height="20" fill="#555"/>
  <rect x="${lw}" width="${mw}" height="20" fill="${COLOURS[tone]}"/>
  <g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
    <text x="${lw / 2}" y="14">${escapeXml(label)}</text>
    <text x="${lw + mw / 2}" y="14">${escapeXml(message)}</text>
  </g>
</svg>
`;
}
