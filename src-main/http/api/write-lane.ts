import type { PreparedCall, Settled } from '../../core/core.js';

/**
 * The API's writes, committed in groups between page requests. A request's checks and async
 * steps run as it arrives; its write (an audited transaction) waits here and runs with the other
 * writes that arrived meanwhile, in one transaction (`Core.commitTogether`): a stream of metric
 * points then costs one commit per group, not one per point. At most `perTurn` writes run in one
 * event-loop turn, and the lane yields between turns (setImmediate), so page requests waiting on
 * the event loop are answered in between. Each write's result or error is exactly what running it
 * alone would give, and is handed back only once its group has committed.
 */
export class WriteLane {
  private readonly queue: { readonly call: PreparedCall<unknown>; readonly settle: (outcome: Settled<unknown>) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly commit: (calls: readonly PreparedCall<unknown>[]) => Settled<unknown>[],
    private readonly perTurn = 32,
  ) {}

  run<T>(call: PreparedCall<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ call, settle: (outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error)) });
      this.schedule();
    });
  }

  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    const group = this.queue.splice(0, this.perTurn);
    if (this.queue.length > 0) this.schedule();
    const outcomes = this.commit(group.map((w) => w.call));
    group.forEach((w, i) => w.settle(outcomes[i]!));
  }
}
