/** What the console does with a stream event, as pure functions. */

/** Which cached queries an event makes stale (incident events update the lists in place instead). */
export function invalidationsOf(event: string): string[][] {
  if (event.startsWith('incident.')) return [];
  if (event.startsWith('correlation.')) return [['correlations'], ['campaigns']];
  if (event.startsWith('campaign.')) return [['campaigns']];
  if (event.startsWith('document.')) return [['sources']];
  if (event.startsWith('response.')) return [['responses']];
  if (event.startsWith('proposal.') || event.startsWith('council.')) return [['proposals'], ['proposal']];
  return [];
}

/** An event's data: JSON when it parses, else the raw text. */
export function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
