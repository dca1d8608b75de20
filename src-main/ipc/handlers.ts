import type { Handlers } from './router.js';

const VERSION = '0.1.0';

/** One handler per contract channel; each only translates to a core call. */
export const HANDLERS: Handlers = {
  'app.info': (ctx) => ({ name: 'Cairn', version: VERSION, mode: ctx.mode }),
};
