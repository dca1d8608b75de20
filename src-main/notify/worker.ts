import { systemActor } from '../core/actor.js';
import type { Core } from '../core/core.js';
import { toPublicError } from '../core/errors.js';
import { WORKER_OPERATIONS } from '../core/notifications/registry.js';
import type { Claim, ClaimedDelivery } from '../core/notifications/outbox.js';
import { PermanentFailure, postJson, type Resolver } from './http-target.js';
import { SIGNATURE_HEADER, signWebhook } from './signature.js';
import { smtpTransport } from './smtp.js';

const { outboxStatus, claimDeliveries, settleDeliveries } = WORKER_OPERATIONS;

export interface WorkerOptions {
  /** How often the outbox is looked at (default 2 s). */
  readonly intervalMs?: number;
  readonly log?: (line: string) => void;
  /** DNS for webhook hosts (tests point names at chosen addresses); the system resolver otherwise. */
  readonly resolve?: Resolver;
  readonly timeoutMs?: number;
}

interface Result {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly permanent: boolean;
}

/**
 * The delivery worker: a thin adapter that asks the core for due deliveries (already rendered),
 * sends them over SMTP or HTTP, and reports back. All state is in the outbox; the worker keeps
 * none, so killing it loses nothing (its leases run out and the deliveries are claimed again).
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly core: Core,
    private readonly options: WorkerOptions = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: claim what is due, send it, settle it. Returns how many deliveries were attempted. */
  tick(): Promise<number> {
    this.running ??= this.round()
      .catch((err: unknown) => {
        this.options.log?.(`notification delivery: ${toPublicError(err).message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    const status = this.core.execute(outboxStatus, systemActor, {});
    if (status.due + status.unexpanded + status.purgeable === 0) return 0;
    const claim = await this.core.executeAsync(claimDeliveries, systemActor, {});
    if (claim.deliveries.length === 0) return 0;
    const results = await this.sendAll(claim);
    this.core.execute(settleDeliveries, systemActor, { results });
    return results.length;
  }

  private async sendAll(claim: Claim): Promise<Result[]> {
    const smtp = claim.transports.smtp && smtpTransport(claim.transports.smtp);
    try {
      return await Promise.all(
        claim.deliveries.map((delivery) =>
          this.send(claim, delivery, smtp).then(
            (): Result => ({ id: delivery.id, ok: true, permanent: false }),
            (err: unknown): Result => ({ id: delivery.id, ok: false, error: (err as Error).message.slice(0, 500), permanent: err instanceof PermanentFailure }),
          ),
        ),
      );
    } finally {
      smtp?.close();
    }
  }

  private async send(claim: Claim, delivery: ClaimedDelivery, smtp: ReturnType<typeof smtpTransport> | undefined): Promise<void> {
    const { message } = delivery;
    const http = { ...(this.options.resolve ? { resolve: this.options.resolve } : {}), ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}) };
    if (message.channel === 'smtp') {
      if (!smtp) throw new Error('e-mail is not configured');
      return smtp.send(message.email, delivery.idempotencyKey);
    }
    if (message.channel === 'webhook') {
      const hook = claim.transports.webhook;
      if (!hook) throw new Error('the webhook is not configured');
      const headers = {
        'cairn-event': message.event,
        'cairn-delivery': delivery.idempotencyKey,
        'idempotency-key': delivery.idempotencyKey,
        [SIGNATURE_HEADER]: signWebhook(hook.secret, message.http.body, Date.now()),
      };
      await postJson(hook.url, message.http.body, headers, claim.policy, http);
      return;
    }
    const slack = claim.transports.slack;
    if (!slack) throw new Error('Slack is not configured');
    await postJson(slack.url, message.http.body, {}, claim.policy, http);
  }
}
