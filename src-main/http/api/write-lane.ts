/**
 * The API's writes take turns with everything else. Each write (key check, permission, audited
 * transaction) runs synchronously on the event loop that also serves the status page, so a flood
 * of posts would make page readers wait behind it. The lane runs queued writes a few per
 * event-loop turn and yields between turns (setImmediate), so pending page requests are answered in
 * between; writers see a little more latency instead of readers seeing a lot. A write's result
 * and errors are exactly what running it directly would give.
 */
export class WriteLane {
  private readonly queue: (() => Promise<void>)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn = 8) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => task().then(resolve, reject));
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

  /**
   * Starts the next few writes. They are not awaited: their work up to the first pending promise
   * (all of it, for a write whose keys are already in memory) runs now, in this turn, and a write
   * that waits on something slow (the keychain) cannot hold up the ones behind it.
   */
  private turn(): void {
    for (let n = 0; n < this.perTurn && this.queue.length > 0; n++) void this.queue.shift()!();
    this.scheduled = false;
    if (this.queue.length > 0) this.schedule();
  }
}
