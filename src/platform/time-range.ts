/**
 * The instants the server stores and prints: years 0001 to 9999 in UTC. Pure.
 *
 * An ISO time with an offset is kept as UTC (`toISOString`), so "9999-12-31T23:59:59-01:00" became
 * "+010000-01-01T00:59:59.000Z" and "0001-01-01T00:00:00+01:00" became year 0000: neither is an
 * RFC 3339 / STIX timestamp, and other systems reading them fail or misread them.
 */
const FIRST = Date.parse('0001-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');

export const TIME_RANGE_MESSAGE = 'must fall in the years 0001 to 9999 once converted to UTC';

/** Whether an ISO 8601 date or date-time (already checked for shape) names an instant in that range. */
export function inStoredTimeRange(iso: string): boolean {
  const t = Date.parse(iso);
  return !Number.isNaN(t) && t >= FIRST && t <= LAST;
}
