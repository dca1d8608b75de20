import { afterEach } from 'vitest';
import type { Core } from '../../src-main/core/core.js';
import { buildServer, type ServerOptions } from '../../src-main/http/server.js';

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!();
});

/** The real server on 127.0.0.1 at a free port; closed after the test. */
export async function startServer(core: Core, options: Omit<ServerOptions, 'core'> = {}): Promise<string> {
  const app = buildServer({ core, pageCacheMinAgeMs: 0, ...options });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  running.push(() => app.close());
  return url;
}
