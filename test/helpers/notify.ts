import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach } from 'vitest';
import { localOperator } from '../../src-main/core/actor.js';
import type { Core } from '../../src-main/core/core.js';
import { configureProvider } from '../../src-main/core/notifications/providers.js';
import { updateNotificationSettings } from '../../src-main/core/notifications/settings.js';

/**
 * Real receivers on loopback for the delivery tests: an SMTP server (the `smtp-server` package,
 * plain SMTP on 127.0.0.1) that parses what it receives, and an HTTP receiver for webhooks.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

export interface Mailbox {
  readonly port: number;
  readonly mails: ParsedMail[];
  /** Every envelope recipient, in order received. */
  readonly recipients: string[];
  /** Makes the next `n` messages fail with this SMTP code (4xx temporary, 5xx permanent). */
  failNext(n: number, code: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
}

export async function startSmtp(): Promise<Mailbox> {
  const mails: ParsedMail[] = [];
  const recipients: string[] = [];
  let failures = { left: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures.left > 0) {
          failures = { ...failures, left: failures.left - 1 };
          return callback(Object.assign(new Error('try later'), { responseCode: failures.code }));
        }
        recipients.push(...session.envelope.rcptTo.map((r) => r.address));
        void simpleParser(Buffer.concat(chunks)).then((mail) => {
          mails.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    recipients,
    failNext: (n, code) => void (failures = { left: n, code }),
    waitFor: (count, timeoutMs = 10_000) => until(() => mails.length >= count, timeoutMs, `${count} mails (got ${mails.length})`).then(() => mails),
  };
}

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Answers the next requests with these statuses (then 204); `redirect:URL` answers 302 to URL. */
  respond(...answers: (number | `redirect:${string}`)[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
}

/** An HTTP receiver on `host` (any 127.x address is this machine), answering 204 unless told otherwise. */
export async function startReceiver(host = '127.0.0.2', delayMs = 0): Promise<Receiver> {
  const received: Received[] = [];
  const answers: (number | string)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.shift() ?? 204;
      setTimeout(() => {
        if (typeof answer === 'string') res.writeHead(302, { location: answer.slice('redirect:'.length) }).end();
        else res.writeHead(answer).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hook`,
    received,
    respond: (...a) => void answers.push(...a),
    waitFor: (count, timeoutMs = 10_000) => until(() => received.length >= count, timeoutMs, `${count} requests (got ${received.length})`).then(() => received),
  };
}

export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const PUBLIC_URL = 'https://status.example.com';

/** E-mail on, through the mailbox on 127.0.0.1, as an Administrator would set it up. */
export async function enableEmail(core: Core, mailbox: Mailbox, settings: Record<string, unknown> = {}): Promise<void> {
  core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL, ...settings });
  await core.executeAsync(configureProvider, localOperator, {
    kind: 'smtp',
    config: { host: '127.0.0.1', port: mailbox.port, security: 'none', fromAddress: 'status@example.com', fromName: 'Example Status' },
  });
}

/** The generic webhook on, to a receiver on loopback (allowed explicitly, as internal targets must be). */
export async function enableWebhook(core: Core, receiver: Receiver, secret = 'test webhook signing secret'): Promise<void> {
  core.execute(updateNotificationSettings, localOperator, { publicUrl: PUBLIC_URL, allowInsecureHttp: true, internalAllowlist: ['127.0.0.2/32'] });
  await core.executeAsync(configureProvider, localOperator, { kind: 'webhook', config: { url: receiver.url }, secret });
}
