import { resolve } from 'node:path';
import { z } from 'zod';
import { resolveDataDir } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { exportStaticSite } from '../http/public/static-export.js';
import { coreForStore } from '../store-core.js';
import { defineCommand } from './command.js';
import { dataDirFlag, dataDirOption, dataDirUsage } from './options.js';

/** An absolute http(s) URL, normalised to end with "/" so that site paths resolve below it. */
const baseUrl = z
  .string()
  .max(2000, 'is too long')
  .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'must be an absolute http(s) URL such as https://status.example.com/')
  .transform((u) => {
    const url = new URL(u);
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return url.href;
  });

export const exportStaticCommand = defineCommand({
  name: 'export-static',
  summary: 'write the public site as static files for any web host or CDN (re-run after changes)',
  usage: [
    '--out DIR         folder to write to (created if missing; only files a previous export wrote are ever removed)',
    '--base-url URL    where the files will be served from, for the absolute links of feeds and JSON (default http://127.0.0.1:8080/)',
    dataDirUsage,
  ],
  options: { out: { type: 'string' }, 'base-url': { type: 'string' }, ...dataDirFlag },
  schema: z.strictObject({
    out: z.string({ error: 'is required' }).min(1, 'must not be empty').max(4096, 'is too long').refine((p) => !p.includes('\0'), 'must not contain NUL'),
    'base-url': baseUrl.default('http://127.0.0.1:8080/'),
    'data-dir': dataDirOption,
  }),
  async run(args, io) {
    const dataDir = resolveDataDir(args['data-dir'], io.env);
    const outDir = resolve(args.out);
    const db = openDatabase(dataDir);
    try {
      const core = await coreForStore(db);
      const result = exportStaticSite(core, { outDir, baseUrl: args['base-url'] });
      return {
        json: { outDir, baseUrl: args['base-url'], ...result },
        text: `Exported ${result.files} files to ${outDir} (${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed)`,
      };
    } finally {
      db.close();
    }
  },
});
