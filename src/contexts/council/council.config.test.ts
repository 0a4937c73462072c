import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';

describe('council and audit configuration (config.ts)', () => {
  it('BULWARK_MIN_SILENCE_SECONDS: one hour by default, a minute under --demo unless set, validated', () => {
    expect(loadConfig({}, {}).minSilenceSeconds).toBe(3600);
    expect(loadConfig({ demo: true }, {}).minSilenceSeconds).toBe(60);
    expect(loadConfig({ demo: true }, { BULWARK_MIN_SILENCE_SECONDS: '7200' }).minSilenceSeconds).toBe(7200);
    expect(loadConfig({}, { BULWARK_MIN_SILENCE_SECONDS: '0' }).minSilenceSeconds).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', '1e3', '9999999999'])
      expect(() => loadConfig({}, { BULWARK_MIN_SILENCE_SECONDS: bad }), bad).toThrow(/BULWARK_MIN_SILENCE_SECONDS/);
  });

  it('BULWARK_AUDIT_KEY and BULWARK_AUDIT_OLD_KEYS: long keys, old keys comma-separated', () => {
    const k = 'a'.repeat(64);
    expect(loadConfig({}, {})).toMatchObject({ auditKey: undefined, auditOldKeys: [] });
    expect(
      loadConfig({}, { BULWARK_AUDIT_KEY: k, BULWARK_AUDIT_OLD_KEYS: `${'b'.repeat(32)}, ${'c'.repeat(40)}` }),
    ).toMatchObject({ auditKey: k, auditOldKeys: ['b'.repeat(32), 'c'.repeat(40)] });
    expect(() => loadConfig({}, { BULWARK_AUDIT_KEY: 'short' })).toThrow(/BULWARK_AUDIT_KEY/);
    expect(() => loadConfig({}, { BULWARK_AUDIT_OLD_KEYS: `${k},short` })).toThrow(/BULWARK_AUDIT_OLD_KEYS/);
  });
});
