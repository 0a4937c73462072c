import { describe, expect, it } from 'vitest';
import { countdown } from './countdown.ts';

const at = Date.parse('2025-03-01T12:00:00Z');

describe('countdown', () => {
  it('shows days, hours, minutes and seconds, rounding up', () => {
    expect(countdown('2025-03-03T15:04:05Z', at)).toMatchObject({ text: '2d 03:04:05', urgency: 'calm' });
    expect(countdown('2025-03-01T12:00:00.200Z', at).text).toBe('00:00:01');
  });

  it('grows urgent within the hour and the last five minutes', () => {
    expect(countdown('2025-03-01T12:59:00Z', at).urgency).toBe('soon');
    expect(countdown('2025-03-01T12:05:00Z', at).urgency).toBe('imminent');
  });

  it('says the silence ended at and after the deadline', () => {
    expect(countdown('2025-03-01T12:00:00Z', at)).toEqual({ remainingMs: 0, text: 'silence ended', urgency: 'passed' });
    expect(countdown('2025-02-01T00:00:00Z', at).urgency).toBe('passed');
  });

  it('rejects an unreadable deadline instead of counting from NaN', () => {
    expect(countdown('soon', at).text).toBe('no valid deadline');
  });
});
