/** Suggested campaigns: connected components of strongly linked incidents (pure). */
export interface Component {
  incidents: string[];
  links: number;
  maxScore: number;
}

export function components(links: ReadonlyArray<{ a: string; b: string; score: number }>): Component[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  for (const l of links) {
    if (!parent.has(l.a)) parent.set(l.a, l.a);
    if (!parent.has(l.b)) parent.set(l.b, l.b);
    const ra = find(l.a);
    const rb = find(l.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, Component>();
  for (const id of parent.keys()) {
    const r = find(id);
    const g = groups.get(r) ?? { incidents: [], links: 0, maxScore: 0 };
    g.incidents.push(id);
    groups.set(r, g);
  }
  for (const l of links) {
    const g = groups.get(find(l.a))!;
    g.links++;
    g.maxScore = Math.max(g.maxScore, l.score);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, incidents: g.incidents.sort() }))
    .sort((x, y) => y.incidents.length - x.incidents.length || y.maxScore - x.maxScore);
}
