/** Time left until a silence deadline, for the council room's countdowns. Pure: now is a value. */
export type Urgency = 'calm' | 'soon' | 'imminent' | 'passed';

export interface Countdown {
  remainingMs: number;
  text: string;
  urgency: Urgency;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function countdown(deadlineIso: string, nowMs: number): Countdown {
  const deadline = Date.parse(deadlineIso);
  if (Number.isNaN(deadline)) return { remainingMs: 0, text: 'no valid deadline', urgency: 'passed' };
  const remainingMs = deadline - nowMs;
  if (remainingMs <= 0) return { remainingMs: 0, text: 'silence ended', urgency: 'passed' };
  // Round up: "00:00:01" is shown until the very last millisecond, never "00:00:00" early.
  const total = Math.ceil(remainingMs / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
  const text = d > 0 ? `${d}d ${clock}` : clock;
  const urgency: Urgency = remainingMs <= 5 * 60_000 ? 'imminent' : remainingMs <= 60 * 60_000 ? 'soon' : 'calm';
  return { remainingMs, text, urgency };
}

/** An ISO time `minutes` from now, for the proposal form's default deadline. */
export function deadlineIn(minutes: number, nowMs: number): string {
  return new Date(nowMs + minutes * 60_000).toISOString();
}
