import type { CairnBridge } from './api.js';
import { CHANNEL_NAMES, EVENT_NAMES } from './contract/channels.js';

/**
 * How the bridge reaches main. In the app it is Electron's ipcRenderer; in browser tests a
 * transport that calls the real main-side handlers. Neither the transport nor any event object is
 * ever handed to the page.
 */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

const channels: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);

export function createBridge(transport: Transport): CairnBridge {
  const bridge: CairnBridge = {
    async invoke(channel, input) {
      if (!channels.has(channel)) return { ok: false, error: { code: 'invalid_input', message: `Unknown channel ${String(channel)}` } };
      return (await transport.invoke(channel, input)) as never;
    },
    on(event, listener) {
      if (!events.has(event)) throw new Error(`Unknown event ${String(event)}`);
      // Pass on the payload only, so no Electron event object reaches the page.
      return transport.subscribe(event, (payload) => listener(payload));
    },
  };
  return Object.freeze(bridge);
}
