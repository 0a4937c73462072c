/** Time enters the pure core as a value; this is the one place that reads the wall clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Microseconds since the epoch, for date_added ordering. */
export function nowMicros(clock: Clock = systemClock): number {
  const ms = clock.now().getTime();
  const frac = Number(process.hrtime.bigint() % 1000n);
  return ms * 1000 + frac;
}
