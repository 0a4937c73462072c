import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration is parsed once, and a bad value stops start-up naming it', () => {
  it('defaults need no environment at all', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({
      port: 4700,
      host: '127.0.0.1',
      dataDir: './data',
      rateLimitPerMinute: 60_000,
      maxStreamsPerUser: 16,
      minSilenceSeconds: 3600,
      commonValueThreshold: 50,
      maxConnections: 4096,
      listenBacklog: 4096,
    });
    expect(c.events.pollMs).toBe(200);
    expect(loadConfig({ demo: true }, {}).minSilenceSeconds).toBe(60);
  });

  it.each([
    ['BULWARK_RATE_LIMIT', 'abc'],
    ['BULWARK_RATE_LIMIT', '-1'],
    ['BULWARK_MAX_BODY', '10mb'],
    ['BULWARK_READ_THREADS', '17'],
    ['BULWARK_COMMON_VALUE_THRESHOLD', '0'],
    ['BULWARK_EVENTS_POLL_MS', '1e3'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['BULWARK_METRICS_TOKEN', 'short'],
    ['BULWARK_SECRET_KEY', 'too short'],
    ['BULWARK_FEDERATION_POLL_MS', '5'],
    ['BULWARK_FEDERATION_PAGE', '0'],
    ['BULWARK_LISTEN_BACKLOG', '0'],
    // Every live stream holds a connection: no fewer connections than streams.
    ['BULWARK_MAX_CONNECTIONS', '2000'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(() => loadConfig({}, { [name]: value })).toThrow(new RegExp(`^invalid settings:\\n${name}`, 'm'));
  });

  it('an empty value means unset (the default), never 0', () => {
    expect(loadConfig({}, { BULWARK_RATE_LIMIT: '' }).rateLimitPerMinute).toBe(60_000);
    expect(loadConfig({}, { BULWARK_RATE_LIMIT: '0' }).rateLimitPerMinute).toBe(0);
  });

  it('a flag stands in for its variable and is named with it', () => {
    expect(loadConfig({ port: '4800' }, { PORT: '4900' }).port).toBe(4800);
    expect(() => loadConfig({ port: 'x' }, {})).toThrow(/PORT \(--port\)/);
  });

  it('BULWARK_SECRET_KEY and the federation settings are read', () => {
    const key = 'a'.repeat(64);
    const c = loadConfig({}, { BULWARK_SECRET_KEY: key, BULWARK_FEDERATION_POLL_MS: '250' });
    expect(c.secretKey).toBe(key);
    expect(c.federation).toEqual({ pollMs: 250, retryBaseMs: 500, retryMaxMs: 30_000, pageSize: 1000 });
    expect(loadConfig({}, {}).secretKey).toBeUndefined();
  });

  it('every problem is reported at once', () => {
    expect(() => loadConfig({}, { BULWARK_RATE_LIMIT: 'x', BULWARK_MAX_STREAMS: 'y' })).toThrow(
      /BULWARK_RATE_LIMIT[^]*BULWARK_MAX_STREAMS/,
    );
  });
});
