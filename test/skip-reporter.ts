import type { Reporter } from 'vitest/node';

/** Ends the run with one line per skipped service tier, saying how to enable it (test/global-setup.ts). */
export default class SkipReporter implements Reporter {
  onTestRunEnd(): void {
    const reasons = JSON.parse(process.env.BULWARK_TEST_SKIPPED ?? '[]') as string[];
    for (const r of reasons) process.stdout.write(`${r}\n`);
  }
}
