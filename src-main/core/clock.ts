/** Time comes from here so that tests can move it (lockouts, expiry, windows). Milliseconds, UTC. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
