import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { getOrCreateKey, keychainStore } from '../../src-main/secrets/keychain.js';

// The real OS keychain: npm test runs inside a D-Bus session with an unlocked gnome-keyring.
const service = `cairn-test-${randomUUID()}`;
const store = keychainStore(service);
const created: string[] = [];
afterEach(async () => {
  for (const name of created.splice(0)) await store.delete(name);
});

describe('the OS keychain', () => {
  it('stores, reads and deletes a secret', async () => {
    created.push('token');
    expect(await store.get('token')).toBeNull();
    await store.set('token', 's3cret');
    expect(await store.get('token')).toBe('s3cret');
    expect(await store.delete('token')).toBe(true);
    expect(await store.get('token')).toBeNull();
  });

  it('creates a random key once and returns the same key after', async () => {
    created.push('pepper');
    const first = await getOrCreateKey(store, 'pepper');
    expect(first).toHaveLength(32);
    expect((await getOrCreateKey(store, 'pepper')).equals(first)).toBe(true);
    expect((await getOrCreateKey(keychainStore(`${service}-other`), 'pepper')).equals(first)).toBe(false);
    await keychainStore(`${service}-other`).delete('pepper');
  });
});
