/** NATO Admiralty code (AJP-2.1, STANAG 2511): source reliability A–F and information credibility 1–6, judged apart. */
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY)[number];
export const CREDIBILITY = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITY)[number];

export const RELIABILITY_TEXT: Record<Reliability, string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};

export const CREDIBILITY_TEXT: Record<Credibility, string> = {
  1: 'confirmed by other sources',
  2: 'probably true',
  3: 'possibly true',
  4: 'doubtful',
  5: 'improbable',
  6: 'truth cannot be judged',
};

/** "B2"; a document without a source is F (cannot be judged), without a credibility 6. */
export function grade(
  reliability: Reliability | null | undefined,
  credibility: Credibility | null | undefined,
): string {
  return `${reliability ?? 'F'}${credibility ?? 6}`;
}
