import { createTransport, type Transporter } from 'nodemailer';
import type { EmailMessage } from '../core/notifications/messages.js';
import type { Transports } from '../core/notifications/outbox.js';
import { PermanentFailure } from './http-target.js';

type SmtpSettings = NonNullable<Transports['smtp']>;

/**
 * Sends mail with nodemailer. TLS is required unless the operator chose `none` (a relay on the same
 * host); nodemailer may read no files or URLs (nothing in a message can make it). A 5xx answer
 * (mailbox refused) is permanent; anything else is retried.
 */
export function smtpTransport(settings: SmtpSettings): { send(message: EmailMessage, idempotencyKey: string): Promise<void>; close(): void } {
  const transporter: Transporter = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username === '' ? {} : { auth: { user: settings.username, pass: settings.password ?? '' } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(message, idempotencyKey) {
      try {
        await transporter.sendMail({
          from: { name: settings.fromName, address: settings.fromAddress },
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.headers,
          // The same id on every attempt: a receiver (or a human) can tell a retry from a new message.
          messageId: `<${idempotencyKey}@cairn.invalid>`,
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        const text = (err as Error).message.split('\n')[0] ?? 'failed';
        if (code !== undefined && code >= 500) throw new PermanentFailure(`the mail server refused it: ${text}`, { cause: err });
        throw new Error(`the mail could not be sent: ${text}`, { cause: err });
      }
    },
    close: () => transporter.close(),
  };
}
