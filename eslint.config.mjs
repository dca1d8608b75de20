// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The architecture's boundaries as lint rules (see ../shared/design.md):
 *  - core/ imports no Electron, HTTP, IPC, window or CLI code, and no database driver;
 *  - only db/ holds SQL (no SQL text and no better-sqlite3 anywhere else in the sources);
 *  - only ipc/register.ts touches ipcMain;
 *  - doors (http/, ipc/, cli/) reach the store only through the core (db/connection.js to open it);
 *  - the renderer imports neither Electron, Node, nor main-process code; only the preload contract.
 * ESLint does not merge one rule's options across config blocks, so each area's full list is built here.
 */
const SQL = /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH)\s/i.source;
const noSqlText = {
  'no-restricted-syntax': [
    'error',
    { selector: `Literal[value=/${SQL}/]`, message: 'SQL belongs in src-main/db/ only.' },
    { selector: `TemplateElement[value.raw=/${SQL}/]`, message: 'SQL belongs in src-main/db/ only.' },
  ],
};

const driver = { name: 'better-sqlite3', message: 'Only src-main/db/ talks to SQLite.' };
const ipcMainOnlyInRegister = { name: 'electron', importNames: ['ipcMain'], message: 'Only src-main/ipc/register.ts touches ipcMain.' };
const dbExceptOpening = { group: ['**/db/*', '!**/db/connection.js'], message: 'Doors reach the store through the core (db/connection.js only to open it).' };

/** @param {{ paths?: any[], patterns?: any[] }} r */
const restrict = (r) => ({ 'no-restricted-imports': ['error', { paths: r.paths ?? [], patterns: r.patterns ?? [] }] });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'demo-data/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off', // input validation matches control characters on purpose
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // Main-process sources outside db/: no driver, no SQL text, no ipcMain.
  {
    files: ['src-main/**/*.ts', 'src-preload/**/*.ts'],
    ignores: ['src-main/db/**'],
    rules: { ...noSqlText, ...restrict({ paths: [driver, ipcMainOnlyInRegister] }) },
  },
  // The domain core: nothing of Electron, HTTP, IPC, windows or the CLI.
  {
    files: ['src-main/core/**/*.ts'],
    rules: restrict({
      paths: [driver, { name: 'electron', message: 'The core runs under plain Node: no Electron.' }],
      patterns: [
        { group: ['fastify', 'fastify/*', 'node:http', 'node:https', 'http', 'https'], message: 'The core knows nothing of HTTP.' },
        { group: ['**/ipc/**', '**/http/**', '**/window/**', '**/cli/**', '**/src-preload/**', '**/index.js', '**/cli.js'], message: 'The core may not import a door.' },
      ],
    }),
  },
  // Doors: translate only; the store is reached through the core.
  {
    files: ['src-main/http/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/notify/**/*.ts'],
    rules: restrict({ paths: [driver, ipcMainOnlyInRegister, { name: 'electron', message: 'The CLI, HTTP server and delivery worker run without Electron.' }], patterns: [dbExceptOpening] }),
  },
  {
    files: ['src-main/ipc/**/*.ts'],
    ignores: ['src-main/ipc/register.ts'],
    rules: restrict({ paths: [driver, ipcMainOnlyInRegister], patterns: [dbExceptOpening] }),
  },
  {
    files: ['src-main/ipc/register.ts'],
    rules: restrict({ paths: [driver], patterns: [dbExceptOpening] }),
  },
  // The renderer: browser code that sees only the contract and the bridge's type.
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...noSqlText,
      ...restrict({
        paths: [{ name: 'electron', message: 'The renderer talks to main only through window.cairn.' }],
        patterns: [
          { group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3'], message: 'The renderer is sandboxed: no Node modules.' },
          { group: ['**/src-main/**'], message: 'The renderer may import only the preload contract.' },
        ],
      }),
    },
  },
  // The status page's progressive-enhancement script: plain browser JavaScript, served as is.
  {
    files: ['resources/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, uPlot: 'readonly' } },
  },
  // The preload's bridge is transport-agnostic; only its index.ts sees Electron.
  {
    files: ['src-preload/**/*.ts'],
    ignores: ['src-preload/index.ts'],
    rules: { ...noSqlText, ...restrict({ paths: [driver, { name: 'electron', message: 'Only src-preload/index.ts touches Electron.' }] }) },
  },
);
