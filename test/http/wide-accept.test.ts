import { readdirSync, readFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptWider, type WideAccept } from '../../src-main/http/wide-accept.js';

/** Connections waiting in the kernel's accept queue of the socket listening on `port` (Linux). */
function waitingToBeAccepted(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state, queues] = line.trim().split(/\s+/);
    // For a listening socket (state 0A) the rx_queue column is its accept queue.
    if (local?.endsWith(`:${hexPort}`) && state === '0A') return parseInt(queues!.split(':')[1]!, 16);
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Blocks the event loop until `done` holds (at most 5 s), as a busy turn would. */
function holdTheLoopUntil(done: () => boolean): void {
  const deadline = Date.now() + 5000;
  while (!done()) if (Date.now() > deadline) throw new Error('the awaited state never came');
}

/** The pids of this process's children that run the helper (`node -e …`, Linux). */
function helpersAlive(): string[] {
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((task) => readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1] === '-e';
    } catch {
      return false; // gone meanwhile
    }
  });
}

const servers: Server[] = [];
const wides: WideAccept[] = [];
const clients: Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(wides.splice(0).map((w) => w.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => res.end(`hello ${req.socket.remoteAddress}`));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The most waiting connections the server let in during one turn of its event loop. */
async function mostAcceptedInOneTurn(server: Server, port: number, arriving: number): Promise<number> {
  // A turn ends with its check phase, where setImmediate callbacks run: count turns there.
  let turn = 0;
  const perTurn = new Map<number, number>();
  server.on('connection', () => perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1));
  for (let i = 0; i < arriving; i++) clients.push(connect(port, '127.0.0.1'));
  // net.connect calls connect(2) on the next tick; the kernel then completes the handshakes alone.
  await new Promise((resolve) => process.nextTick(resolve));
  holdTheLoopUntil(() => waitingToBeAccepted(port) >= arriving);
  await new Promise<void>((resolve) => {
    const nextTurn = () => {
      turn++;
      if ([...perTurn.values()].reduce((a, b) => a + b, 0) < arriving) setImmediate(nextTurn);
      else resolve();
    };
    setImmediate(nextTurn);
  });
  return Math.max(...perTurn.values());
}

/** GET / on a connection of its own. */
const getText = (port: number) =>
  new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

describe('accepting wider', () => {
  it('lets in one waiting connection per turn with the server’s own handle, and 1 + copies with the extra handles', async () => {
    const plain = await listening();
    expect(await mostAcceptedInOneTurn(plain.server, plain.port, 20)).toBe(1);

    const wide = await listening();
    wides.push(await acceptWider(wide.server, 7));
    expect(wides[0]!.copies).toBe(7);
    expect(await mostAcceptedInOneTurn(wide.server, wide.port, 20)).toBe(8);
  });

  it('answers every connection, whichever handle took it in, with the client’s real address', async () => {
    const { server, port } = await listening();
    wides.push(await acceptWider(server, 7));
    const answers = await Promise.all(Array.from({ length: 64 }, () => getText(port)));
    expect(answers).toEqual(Array.from({ length: 64 }, () => 'hello 127.0.0.1'));
  });

  it('serves the connections the helper took in while handing the copies over, and the helper then leaves', async () => {
    const { server, port } = await listening();
    const widening = acceptWider(server, 3);
    expect(helpersAlive()).toHaveLength(1);
    const requests = Array.from({ length: 20 }, () => getText(port));
    await new Promise((resolve) => process.nextTick(resolve));
    // While this process is held, only the helper can take connections in: wait until it has.
    holdTheLoopUntil(() => waitingToBeAccepted(port) < 20);
    wides.push(await widening);
    expect(await Promise.all(requests)).toEqual(Array.from({ length: 20 }, () => 'hello 127.0.0.1'));
    await expect.poll(helpersAlive, { timeout: 5000 }).toEqual([]);
  });

  it('refuses with a clear message when the helper does not answer in time, the server serving on its own handle and no helper left', async () => {
    const { server, port } = await listening();
    await expect(acceptWider(server, 3, 1)).rejects.toThrow(/^could not widen accept: no answer in 1 ms$/);
    expect(await getText(port)).toBe('hello 127.0.0.1');
    await expect.poll(helpersAlive, { timeout: 5000 }).toEqual([]);
  });

  it('stops accepting on every handle when closed, after the connections it let in have finished', async () => {
    let release = () => {};
    const server = createServer((_req, res) => {
      release = () => res.end('finished');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const wide = await acceptWider(server, 3);
    const inFlight = getText(port);
    await new Promise((resolve) => server.once('request', resolve));

    let closed = false;
    const closing = Promise.all([wide.close(), new Promise((resolve) => server.close(resolve))]).then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    await expect(getText(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    release();
    expect(await inFlight).toBe('finished');
    await closing;
    expect(closed).toBe(true);
  });
});
