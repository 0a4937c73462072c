import { describe, expect, it } from 'vitest';
import { formatWhen } from './dates.ts';

describe('dates', () => {
  it('writes ISO 8601 dates and 24-hour times by default', () => {
    const t = new Date(2026, 11, 3, 14, 5, 9);
    expect(formatWhen(t, 'iso')).toBe('2026-12-03 14:05');
    expect(formatWhen(t, 'iso', 'date')).toBe('2026-12-03');
    expect(formatWhen(t, 'iso', 'time')).toBe('14:05:09');
    expect(formatWhen('not a date', 'iso')).toBe('—');
    expect(formatWhen(t, 'locale')).toBe(t.toLocaleString());
  });
});
