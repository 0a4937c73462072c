import { describe, expect, it } from 'vitest';
import { forbiddenRange } from './address.ts';

describe('forbidden fetch addresses', () => {
  it('refuses loopback, private, link-local and their IPv6 forms; allows public unicast', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ])
      expect(forbiddenRange(ip), ip).toBeDefined();
    for (const ip of ['93.184.216.34', '2606:4700::6810:85e5']) expect(forbiddenRange(ip), ip).toBeUndefined();
  });
});
