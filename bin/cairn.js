#!/usr/bin/env node
// The `cairn` command. It runs the built CLI (npm run build writes out/main/cli.js).
import { existsSync } from 'node:fs';

const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('cairn: not built yet; run `npm run build` in the Cairn folder first\n');
  process.exit(1);
}
await import(entry.href);
