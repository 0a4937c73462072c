// Builds the analyst console into dist/web when it is missing or older than its sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'web');
const out = join(root, 'dist', 'web', 'index.html');
if (!existsSync(join(src, 'index.html'))) process.exit(0);

/** Newest modification time under dir; `skip` leaves out files the bundle never includes. */
function newest(dir, skip = () => false) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || skip(e.name)) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}
// The console bundles some pure server files (src/kernel/**, src/contexts/**: access rules, schemas),
// so a change there makes dist/web stale too; tests are never bundled.
const contexts = join(root, 'src', 'contexts');
const kernel = join(root, 'src', 'kernel');
const isTest = (name) => /\.test\.tsx?$/.test(name);
const sources = Math.max(
  newest(src),
  existsSync(contexts) ? newest(contexts, isTest) : 0,
  existsSync(kernel) ? newest(kernel, isTest) : 0,
);
if (!existsSync(out) || statSync(out).mtimeMs < sources) {
  console.log('building the console (missing or older than web/, src/kernel/ or src/contexts/)…');
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { cwd: root, stdio: 'inherit' });
}
