import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const TYPES = [
  'indicator',
  'malware',
  'attack-pattern',
  'threat-actor',
  'intrusion-set',
  'campaign',
  'tool',
  'vulnerability',
  'identity',
  'course-of-action',
];

/** A realistic STIX object of one of ten types, ~600 bytes, with a TLP marking on some. */
export function syntheticObject(i: number): Record<string, unknown> {
  const type = TYPES[i % TYPES.length]!;
  const base: Record<string, unknown> = {
    type,
    spec_version: '2.1',
    id: `${type}--${randomUUID()}`,
    created: '2024-03-01T10:00:00.000Z',
    modified: '2024-03-01T10:00:00.000Z',
    name: `${type} ${i}`,
    description: `Synthetic ${type} number ${i} for benchmarking the Bulwark knowledge store. `.repeat(4),
    labels: ['bench', `group-${i % 17}`],
    external_references: [{ source_name: 'bench', external_id: `B${i}` }],
  };
  if (i % 3 === 0) base.object_marking_refs = ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'];
  if (type === 'indicator')
    Object.assign(base, {
      pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
      pattern_type: 'stix',
      valid_from: '2024-03-01T10:00:00Z',
    });
  if (type === 'malware') base.is_family = false;
  return base;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function machine(): string {
  return `${process.version}, ${String(require_os().cpus().length)} cores (${require_os().cpus()[0]?.model ?? '?'}), load average ${require_os()
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
}

import * as os from 'node:os';
function require_os(): typeof os {
  return os;
}

/**
 * CPU milliseconds (user + system) one thread of this process has used so far, from Linux's /proc (clock ticks of
 * 10 ms; undefined elsewhere). The main thread by default: its CPU, unlike the event loop's active time, does not
 * count time it was ready to run but waited for a core (on a 2-core machine shared with a load generator).
 */
export function threadCpuMs(tid: number = process.pid): number | undefined {
  try {
    const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}
