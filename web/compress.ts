import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = ['.js', '.css', '.html', '.json', '.svg'];

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build over 1 KB, which the
 * server sends to browsers that accept them (@fastify/static preCompressed).
 */
export function precompress(): Plugin {
  return {
    name: 'bulwark-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir;
      if (!dir) return;
      const walk = (d: string): void => {
        for (const name of readdirSync(d)) {
          const p = join(d, name);
          if (statSync(p).isDirectory()) walk(p);
          else if (TEXT.some((e) => name.endsWith(e)) && statSync(p).size > 1024) {
            const body = readFileSync(p);
            writeFileSync(`${p}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
            writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }));
          }
        }
      };
      walk(dir);
    },
  };
}
