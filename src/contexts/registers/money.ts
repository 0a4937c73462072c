/**
 * Money as the contract has it: `{ value, currency }`, value a decimal in major units with at most two
 * places, currency an ISO 4217 code; nothing is converted between currencies. Stored as whole minor
 * units (hundredths) so that sums are exact. Pure.
 */

/** Largest value accepted, in major units (a trillion): sums of many entries stay exact integers. */
export const MAX_MONEY = 1e12;

export interface Money {
  value: number;
  currency: string;
}

/** ISO 4217 codes in use (the runtime's ICU list: the same on server and console). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Whether a number has at most two decimal places (as written: 0.1 + 0.2 style noise is refused). */
export function hasAtMostTwoPlaces(v: number): boolean {
  if (!Number.isFinite(v)) return false;
  const cents = Math.round(v * 100);
  return Math.abs(cents / 100 - v) < 1e-9 * Math.max(1, Math.abs(v));
}

/** Whole hundredths of a value that has at most two places. */
export function toMinor(value: number): number {
  return Math.round(value * 100);
}

/** Major units (at most two places) of whole hundredths. */
export function fromMinor(minor: number): number {
  return Math.round(minor) / 100;
}
