import { spawn, type ChildProcess } from 'node:child_process';
import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Lets a busy server take in more than one new connection per turn of its event loop.
 *
 * libuv accepts one connection per turn for each listening handle (libuv#3696). On an outage day
 * hundreds of keep-alive readers ask again as soon as they are answered, a turn takes 20–30 ms,
 * and new visitors were let in at ~40 a second: `bench:load` saw 250 connections waiting in the
 * kernel's accept queue, the last admitted after 7 s (page p99 2.5 s, a status change seen by a
 * new visitor only after 4 s).
 *
 * Every handle on the listening socket is polled and accepts one per turn, so `copies` more
 * handles let that many more visitors in per turn. Node has no dup(), but a handle sent to another
 * process arrives there as a new descriptor of the same socket (SCM_RIGHTS): a short-lived helper
 * is handed the listener and sends it back `copies` times, then exits. A connection the helper
 * itself accepts meanwhile is sent back too, so none is lost.
 */

// Plain CommonJS run with `node -e`: no file to ship beside the bundle.
const HELPER = `
process.once('disconnect', () => process.exit(0));
process.once('message', ({ copies }, listener) => {
  // A connection taken in here is sent on unread: its request stays in the kernel for the server.
  listener.pauseOnConnect = true;
  listener.on('connection', (socket) => process.send('socket', socket));
  let left = copies;
  for (let i = 0; i < copies; i++) {
    process.send('listener', listener, () => {
      if (--left > 0) return;
      listener.close();
      // Node leaves the channel only once the connections queued for sending have gone.
      process.disconnect();
    });
  }
});`;

export interface WideAccept {
  /** The extra handles taken (0 if none could be). */
  readonly copies: number;
  /** Stops the extra handles accepting, and resolves once the connections they let in have ended. */
  close(): Promise<void>;
}

/** Connections from the extra handles, configured as `server` configures its own and handed to it. */
function adopt(server: HttpServer, socket: Socket, open: Set<Socket>): void {
  // node:http listens with allowHalfOpen and noDelay; a received listener has Node's defaults.
  socket.allowHalfOpen = true;
  socket.setNoDelay(true);
  open.add(socket);
  socket.once('close', () => open.delete(socket));
  server.emit('connection', socket);
}

/**
 * Gives the listening `server` `copies` more handles on its socket. Resolves once they accept (or
 * rejects if the helper fails within `timeoutMs`: the server still serves on its own handle).
 */
export function acceptWider(server: HttpServer, copies: number, timeoutMs = 10_000): Promise<WideAccept> {
  const listeners: NetServer[] = [];
  const open = new Set<Socket>();
  let helper: ChildProcess | undefined;
  const wide: WideAccept = {
    get copies() {
      return listeners.length;
    },
    async close() {
      // The helper is gone once it has handed everything over; this is for one that never finished.
      if (helper?.connected) helper.kill();
      await Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
      await Promise.all([...open].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))));
    },
  };
  if (copies <= 0) return Promise.resolve(wide);

  return new Promise((resolve, reject) => {
    const child = (helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }));
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void wide.close().then(() => reject(new Error(`could not widen accept: ${why}`)));
    };
    const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    // Every message the helper sent has arrived by the time its channel closes.
    child.once('disconnect', () => {
      if (listeners.length < copies) fail(`the helper left after ${listeners.length} of ${copies} copies`);
    });
    child.on('message', (what: unknown, handle: unknown) => {
      if (what === 'socket') adopt(server, handle as Socket, open);
      else if (what === 'listener') {
        const listener = handle as NetServer;
        listener.on('connection', (socket: Socket) => adopt(server, socket, open));
        listeners.push(listener);
        if (listeners.length === copies) {
          settled = true;
          clearTimeout(timer);
          resolve(wide);
        }
      }
    });
    child.send({ copies }, server);
  });
}

/** How many handles beyond its own `cairn serve` takes on its socket: 16 accepts per turn in all. */
export const ACCEPT_COPIES = 15;

export interface Listening {
  readonly url: string;
  /** Closes the server: no new connections, open ones drained. */
  close(): Promise<void>;
}

/**
 * Listens as `cairn serve` does: on the server's own handle and `copies` more. If the extra
 * handles cannot be had, says so through `warn` and serves on the one.
 */
export async function listenWide(app: FastifyInstance, address: { readonly host: string; readonly port: number }, warn: (line: string) => void, copies = ACCEPT_COPIES): Promise<Listening> {
  const url = await app.listen(address);
  const wide = await acceptWider(app.server, copies).catch((err: Error) => {
    warn(`${err.message}; accepting one connection per turn`);
    return undefined;
  });
  return { url, close: async () => void (await Promise.all([wide?.close(), app.close()])) };
}
