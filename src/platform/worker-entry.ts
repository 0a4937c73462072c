/**
 * The entry of a worker thread whose code sits next to `from` (an import.meta.url): the compiled
 * `.js` file, or, when running from TypeScript source, a bootstrap that registers tsx first (a worker
 * does not inherit the loader hooks of the thread that starts it on Node 20).
 */
export function workerEntry(name: string, from: string): URL {
  const source = from.endsWith('.ts');
  const url = new URL(`./${name}${source ? '.ts' : '.js'}`, from);
  if (!source) return url;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(url.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
