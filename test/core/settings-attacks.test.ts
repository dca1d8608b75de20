import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonymous, localOperator } from '../../src-main/core/actor.js';
import { CairnError } from '../../src-main/core/errors.js';
import { DEFAULT_SECURITY_POLICY, getSecurityPolicy, updateSecurityPolicy } from '../../src-main/core/identity/policy.js';
import { OPERATIONS } from '../../src-main/core/operations.js';
import { getPosture } from '../../src-main/core/posture.js';
import { getSettings, getSiteInfo, updateSettings } from '../../src-main/core/settings.js';
import { contentHash, testCore } from '../helpers/store.js';

/**
 * Cachet's settings CVEs as attacks on Cairn's settings: CVE-2021-39172/39174 wrote a setting
 * with a newline into .env (config injection) and expanded `${VAR}` from it (secret disclosure);
 * CVE-2021-39173 re-opened the setup wizard. Every value is stored literally or refused, never
 * expanded, never written to a file; no input reaches first-run setup or production mode.
 */

const PAYLOADS = ['${APP_KEY}', '${DB_PASSWORD}', 'Cairn\r\nAPP_DEBUG=true', 'x\nMAIL_DRIVER=log', '{{ config.app.key }}', "'; DROP TABLE settings; --", '$(id)', '`id`'];

const SITE_FIELDS = ['siteName', 'about', 'timezone', 'locale', 'accentColor', 'accentColorDark'] as const;
const POLICY_FIELDS = Object.keys(DEFAULT_SECURITY_POLICY);

describe('settings attacks (Cachet CVE-2021-39172, -39173, -39174)', () => {
  it('stores every payload in every site setting literally, or refuses it changing nothing — never expanded', () => {
    const { core, db } = testCore();
    let stored = 0;
    for (const field of SITE_FIELDS) {
      for (const payload of PAYLOADS) {
        const before = contentHash(db);
        try {
          core.execute(updateSettings, localOperator, { [field]: payload });
          stored += 1;
          expect(core.execute(getSettings, localOperator, {})[field], `${field} ← ${JSON.stringify(payload)}`).toBe(payload.trim());
        } catch (err) {
          expect(err, `${field} ← ${JSON.stringify(payload)}`).toMatchObject({ code: 'invalid_input', field });
          expect(contentHash(db)).toBe(before);
        }
      }
    }
    // The about text takes any of them as Markdown source (and sanitizes its HTML); so payloads are stored, not just refused.
    expect(stored).toBeGreaterThanOrEqual(PAYLOADS.length);
    expect(core.execute(getSettings, localOperator, {}).siteName).not.toMatch(/[\r\n]/);
  });

  it('refuses every payload as a security policy value, changing nothing', () => {
    const { core, db } = testCore();
    const before = contentHash(db);
    const policy = core.execute(getSecurityPolicy, localOperator, {});
    for (const field of POLICY_FIELDS) {
      for (const payload of PAYLOADS) {
        expect(() => core.execute(updateSecurityPolicy, localOperator, { [field]: payload }), `${field} ← ${payload}`).toThrow(CairnError);
      }
    }
    expect(core.execute(getSecurityPolicy, localOperator, {})).toEqual(policy);
    expect(contentHash(db)).toBe(before);
  });

  it('writes settings nowhere but the database file: no .env, no config file, and the file holds them as typed', () => {
    const { core, dataDir } = testCore();
    core.execute(updateSettings, localOperator, { siteName: '${APP_KEY}', about: 'x\nMAIL_DRIVER=log' });
    const files = readdirSync(dataDir).filter((f) => !/^cairn\.sqlite(-wal|-shm)?$/.test(f));
    expect(files).toEqual([]);
    const bytes = Buffer.concat(readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f))));
    expect(bytes.includes(Buffer.from('"${APP_KEY}"'))).toBe(true);
    expect(core.execute(getSiteInfo, anonymous({ kind: 'web', ip: '127.0.0.1' }), {}).siteName).toBe('${APP_KEY}');
  });

  it('has no operation that re-opens first-run setup or leaves production mode, whatever field is sent', async () => {
    const { core, db } = testCore();
    const before = contentHash(db);
    const sneaky = [{ app_installed: false }, { setup: true }, { mode: 'development' }, { production: false }, { debug: true }, { env: { APP_DEBUG: 'true' } }];
    for (const op of OPERATIONS.values()) {
      if (op.requires === 'self') continue;
      for (const fields of sneaky) {
        const error = await core.executeAsync(op, localOperator, fields).then(() => undefined, (err: unknown) => err);
        expect(error, `${op.name} ${JSON.stringify(fields)}`).toMatchObject({ code: 'invalid_input' });
      }
    }
    expect(contentHash(db)).toBe(before);
    // Production mode is a fact the composition root states, not a setting: the posture reports it.
    const posture = await core.executeAsync(getPosture, localOperator, {});
    expect(JSON.stringify(posture)).toContain('production');
  });
});
