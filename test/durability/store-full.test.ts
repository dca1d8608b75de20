import { describe, expect, it } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import { createComponent } from '../../src-main/core/components.js';
import { Core } from '../../src-main/core/core.js';
import { openDatabase } from '../../src-main/db/connection.js';
import { apiWorld } from '../helpers/api.js';
import { contentHash } from '../helpers/store.js';

/**
 * A full disk and a read-only store. The full disk is SQLite's own: `max_page_count` caps the file
 * at its current size, so the next write that needs a page fails with SQLITE_FULL exactly as on a
 * full file system (root ignores file modes, so a chmod could not simulate it here). Every refused
 * write must answer a clear error with a stable code, leave nothing half-written, and the store must
 * pass its integrity check and take writes again once there is room. A read-only store (a read-only
 * mount, as SQLite sees it through a read-only connection) answers writes the same way.
 */

const big = (n: number) => `Details: ${'x'.repeat(19_000)} #${n}`;

describe('a full disk', () => {
  it('refuses API writes with 503 unavailable, writes nothing half-way, and recovers when there is room', async () => {
    const w = await apiWorld();
    const key = await w.key(['incidents.write', 'incidents.publish', 'components.write']);
    w.core.execute(createComponent, localOperator, { name: 'API', status: 1 });
    const pages = (w.db.pragma('page_count', { simple: true }) as number) + 1;
    w.db.pragma(`max_page_count = ${pages}`);

    let refused = 0;
    for (let n = 0; n < 20 && refused === 0; n++) {
      const before = contentHash(w.db, ['api_keys']); // the key's use counter moves with every authenticated call
      const res = await w.call('POST', '/api/v1/incidents', { key, body: { name: `Incident ${n}`, message: big(n), status: 1 } });
      if (res.status === 200) continue;
      refused++;
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ code: 'unavailable', message: 'The store cannot be written (read-only or full disk)' });
      expect(contentHash(w.db, ['api_keys'])).toBe(before); // neither the incident nor its audit entry
    }
    expect(refused).toBe(1);
    expect(w.db.pragma('integrity_check', { simple: true })).toBe('ok');

    w.db.pragma('max_page_count = 1073741823');
    const after = await w.call('POST', '/api/v1/incidents', { key, body: { name: 'After', message: 'room again', status: 1 } });
    expect(after.status).toBe(200);
  });
});

describe('a read-only store', () => {
  it('answers a write with unavailable and a clear message, and the file stays intact', async () => {
    const w = await apiWorld();
    // The store as a read-only mount presents it: every write is refused by SQLite (SQLITE_READONLY).
    const readonly = openDatabase(w.dataDir, { readonly: true });
    try {
      const core = new Core({ db: readonly });
      const before = contentHash(w.db);
      expect(() => core.execute(createComponent, localOperator, { name: 'API', status: 1 })).toThrow(
        expect.objectContaining({ code: 'unavailable', message: 'The store cannot be written (read-only or full disk)' }),
      );
      expect(contentHash(w.db)).toBe(before);
      expect(w.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      readonly.close();
    }
  });
});
