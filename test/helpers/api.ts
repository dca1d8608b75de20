import { localOperator } from '../../src-main/core/actor.js';
import { createApiKey } from '../../src-main/core/identity/api-keys.js';
import type { ServerOptions } from '../../src-main/http/server.js';
import { identityCore, type IdentityWorld } from './accounts.js';
import { startServer } from './server.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined for an empty one. */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
}

export interface ApiWorld extends IdentityWorld {
  readonly url: string;
  /** A fresh API key with exactly these scopes, issued by the local operator (or for `owner`). */
  key(scopes: readonly string[], options?: { owner?: string; expiresInDays?: number }): Promise<string>;
  /** One request, as a Cachet client sends it: JSON body, key in X-Cachet-Token (or as given). */
  call(method: string, path: string, options?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
}

/** A core with the real keychain behind the real server on 127.0.0.1. */
export async function apiWorld(options: Omit<ServerOptions, 'core'> = {}): Promise<ApiWorld> {
  const w = identityCore();
  const url = await startServer(w.core, options);
  return {
    ...w,
    url,
    async key(scopes, opts = {}) {
      const issued = await w.core.executeAsync(createApiKey, localOperator, { name: `key for ${scopes.length} scope(s)`, scopes, ...opts });
      return issued.key;
    },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.key ? { 'x-cachet-token': opts.key } : {}), ...opts.headers };
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
      return { status: res.status, headers: res.headers, text, json: text === '' || !isJson ? undefined : JSON.parse(text) };
    },
  };
}
