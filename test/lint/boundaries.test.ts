import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The architecture's import rules are lint rules; these snippets prove each one bites.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('architecture boundaries (eslint.config.mjs)', () => {
  it.each([
    ['src-main/core/x.ts', "import { app } from 'electron';\nexport const a = app;", /no Electron/],
    ['src-main/core/x.ts', "import Fastify from 'fastify';\nexport const f = Fastify;", /knows nothing of HTTP/],
    ['src-main/core/x.ts', "import { buildServer } from '../http/server.js';\nexport const b = buildServer;", /may not import a door/],
    ['src-main/core/x.ts', "import { HANDLERS } from '../ipc/handlers.js';\nexport const h = HANDLERS;", /may not import a door/],
    ['src-main/core/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;", /Only src-main\/db/],
    ['src-main/core/x.ts', "export const q = 'SELECT * FROM users';", /SQL belongs in src-main\/db/],
    ['src-main/http/x.ts', 'export const q = `DELETE FROM incidents WHERE id = ${1}`;', /SQL belongs in src-main\/db/],
    ['src-main/http/x.ts', "import { getIncident } from '../db/incidents.js';\nexport const g = getIncident;", /through the core/],
    ['src-main/cli/x.ts', "import { listAudit } from '../db/audit.js';\nexport const l = listAudit;", /through the core/],
    ['src-main/ipc/handlers.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;", /Only src-main\/ipc\/register.ts/],
    ['src-main/index.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;", /Only src-main\/ipc\/register.ts/],
    ['src-renderer/x.tsx', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", /only through window.cairn/],
    ['src-renderer/x.tsx', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /sandboxed/],
    ['src-renderer/x.tsx', "import { Core } from '../src-main/core/core.js';\nexport const c = Core;", /only the preload contract/],
    ['src-preload/bridge.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", /Only src-preload\/index.ts/],
  ])('%s: %s', async (file, code, message) => {
    const hits = await ruleHits(file, code);
    expect(hits.some((h) => message.test(h)), hits.join(' | ') || 'no rule fired').toBe(true);
  });

  it.each([
    ['src-main/db/x.ts', "import Database from 'better-sqlite3';\nexport const q = 'SELECT 1';\nexport const d = Database;"],
    ['src-main/ipc/register.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;"],
    ['src-main/cli/x.ts', "import { openDatabase } from '../db/connection.js';\nexport const o = openDatabase;"],
    ['src-preload/index.ts', "import { contextBridge } from 'electron';\nexport const c = contextBridge;"],
  ])('allows %s its own job', async (file, code) => {
    expect(await ruleHits(file, code)).toEqual([]);
  });
});
