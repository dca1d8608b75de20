import type { Migration } from './types.js';

/**
 * The site's logo, in a table of its own (one row at most) so that reading the settings — done at
 * every request — never drags an image along. The type is one of the raster types the core checks
 * by magic bytes; SVG (which can carry script) is refused before it gets here.
 */
export const siteLogo: Migration = {
  version: 9,
  name: 'site logo',
  sql: /* sql */ `
CREATE TABLE site_logo (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  type       TEXT NOT NULL CHECK (type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  bytes      BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 262144),
  updated_at INTEGER NOT NULL
) STRICT;
`,
};
