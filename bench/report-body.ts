/**
 * The incident report the report-path benches post: by member `org`, the `i`th of `phase`. One in five carries a
 * narrative from one template (a surge of one claim: near-identical texts link to each other), one in three is
 * disinformation, observables vary over a few hundred values so that some recur.
 */
export function reportBody(phase: string, i: number, org: string): string {
  const narrative =
    i % 5 === 0
      ? [
          `Coordinated accounts claim that the ${['grid', 'port', 'rail', 'water'][i % 4]} operator in region ${i % 13} concealed an outage; wave ${i % 29}`,
        ]
      : [];
  return JSON.stringify({
    title: `Surge report ${phase} ${i}`,
    description:
      'Phishing wave against logistics operators; lure documents themed as customs notices, second-stage loader beaconing to rotating domains.',
    category: i % 3 === 0 ? 'disinformation' : 'cyber',
    occurredAt: new Date().toISOString(),
    affectedMembers: [org],
    tlp: 'green',
    location: { lat: 50 + (i % 10) / 10, lon: 20 + (i % 7) / 10 },
    observables: [
      { type: 'ipv4-addr', value: `203.0.113.${i % 250}` },
      { type: 'domain-name', value: `cdn-${i % 997}.surge.example` },
      { type: 'url', value: `https://cdn-${i % 997}.surge.example/c/${phase}/${i}` },
    ],
    narratives: narrative,
  });
}
