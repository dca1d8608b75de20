import type { Core } from '../core/core.js';
import type { EventName } from '../../src-preload/contract/channels.js';

/**
 * Main's pushes to the console: `status.changed` whenever something changed — in this console, by
 * `cairn` on the command line, by the API in `cairn serve` on the same file — so open screens
 * reload instead of going stale. "Changed" is a new audit entry (every change writes one; a
 * session's last-activity stamp does not, so reloading cannot trigger itself). The payload is
 * empty: a window asks for what it shows through its own permission-checked channels.
 */
export function watchStore(core: Core, emit: (event: EventName, payload: Record<string, never>) => void, intervalMs = 1000): () => void {
  let seen = core.lastChange();
  const timer = setInterval(() => {
    let now: number;
    try {
      now = core.lastChange();
    } catch {
      clearInterval(timer); // the store was closed: nothing more will change
      return;
    }
    if (now === seen) return;
    seen = now;
    emit('status.changed', {});
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
