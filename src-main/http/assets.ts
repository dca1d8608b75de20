import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The public site's static files, all same-origin (the CSP allows nothing else): the stylesheet
 * (ours, then uPlot's), uPlot itself and the script that draws the metric charts with it. Read once
 * at start-up; the static export writes the same bytes.
 */

// This file and the bundled out/main/*.js are both two levels below the repository root.
const RESOURCES = new URL('../../resources/', import.meta.url);
const requireFrom = createRequire(import.meta.url);

export interface PublicAsset {
  readonly path: string;
  readonly type: string;
  read(): Buffer;
}

export const PUBLIC_ASSETS: readonly PublicAsset[] = [
  {
    path: '/assets/status.css',
    type: 'text/css; charset=utf-8',
    read: () => Buffer.concat([readFileSync(new URL('status.css', RESOURCES)), Buffer.from('\n'), readFileSync(requireFrom.resolve('uplot/dist/uPlot.min.css'))]),
  },
  { path: '/assets/uplot.js', type: 'text/javascript; charset=utf-8', read: () => readFileSync(requireFrom.resolve('uplot/dist/uPlot.iife.min.js')) },
  { path: '/assets/charts.js', type: 'text/javascript; charset=utf-8', read: () => readFileSync(new URL('charts.js', RESOURCES)) },
];
