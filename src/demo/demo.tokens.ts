import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDemo, type DemoServices, type DemoUser } from './demo.ts';

/**
 * Loads the demo on a fresh store and keeps its users' tokens (shown only once by the user
 * service) in <dataDir>/demo-tokens.json, mode 0600; returns the lines to print at each start.
 */
export async function prepareDemo(services: DemoServices, dataDir: string): Promise<string> {
  const file = join(dataDir, 'demo-tokens.json');
  const loaded = await loadDemo(services);
  if (loaded) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ users: loaded }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  let users: DemoUser[] | undefined = loaded;
  if (!users && existsSync(file)) users = (JSON.parse(readFileSync(file, 'utf8')) as { users: DemoUser[] }).users;
  if (!users) return 'Demo: the store already held data, so no demo was loaded.\n';
  const lines = users.map((u) => `  ${u.name.padEnd(8)} ${u.org} ${u.role.padEnd(7)} ${u.token}`);
  return `Demo data ${loaded ? 'loaded' : 'present'}. Demo users (tokens also in ${file}):\n${lines.join('\n')}\n`;
}
