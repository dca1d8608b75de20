import { CairnError } from '../core/errors.js';
import type { AnchorStore, CoreKeys, KeyProvider, ProviderSecrets } from '../core/keys.js';
import { getOrCreateKey, keychainStore, type SecretStore } from './keychain.js';

/** Every entry Cairn files under a store's keychain service. */
export const KEYCHAIN_ENTRIES = ['totp-encryption', 'apikey-pepper', 'audit-chain', 'audit-anchor', 'subscriber-links', 'provider-smtp', 'provider-webhook', 'provider-slack'] as const;

/** The keychain service a store's secrets are filed under. */
export const keychainService = (storeId: string): string => `Cairn store ${storeId}`;

/**
 * The core's keys from the OS keychain, read on first need and then kept in memory. A keychain
 * that cannot be reached is reported as `unavailable` and asked again next time (it may have
 * been locked), so the CLI and server run without one until a 2FA operation needs it.
 */
export function keychainKeys(storeId: string, store: SecretStore = keychainStore(keychainService(storeId))): KeyProvider {
  let loaded: Promise<CoreKeys> | undefined;
  return () => {
    loaded ??= loadKeys(store).catch((err: unknown) => {
      loaded = undefined;
      throw new CairnError('unavailable', `The OS keychain is not available (${(err as Error).message}); two-factor, API key and audit seal operations need it`);
    });
    return loaded;
  };
}

async function loadKeys(store: SecretStore): Promise<CoreKeys> {
  const [totpEncryption, apiKeyPepper, auditChain, subscriberLinks] = await Promise.all([
    getOrCreateKey(store, 'totp-encryption'),
    getOrCreateKey(store, 'apikey-pepper'),
    getOrCreateKey(store, 'audit-chain'),
    getOrCreateKey(store, 'subscriber-links'),
  ]);
  return { totpEncryption, apiKeyPepper, auditChain, subscriberLinks };
}

/** The audit chain's anchor (last verified id and hash), filed with the store's keys. */
export function keychainAnchor(storeId: string, store: SecretStore = keychainStore(keychainService(storeId))): AnchorStore {
  return {
    async read() {
      const raw = await store.get('audit-anchor');
      if (raw === null) return null;
      const parsed = JSON.parse(raw) as { id?: unknown; hash?: unknown };
      return typeof parsed.id === 'number' && typeof parsed.hash === 'string' ? { id: parsed.id, hash: parsed.hash } : null;
    },
    write: (anchor) => store.set('audit-anchor', JSON.stringify(anchor)),
  };
}

/** The notification providers' credentials, filed with the store's keys. */
export function keychainProviderSecrets(storeId: string, store: SecretStore = keychainStore(keychainService(storeId))): ProviderSecrets {
  return {
    get: (kind) => store.get(`provider-${kind}`),
    set: (kind, value) => store.set(`provider-${kind}`, value),
    delete: (kind) => store.delete(`provider-${kind}`),
  };
}
