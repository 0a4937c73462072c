import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './compress.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

// The console is served by the Bulwark server itself from dist/web (strict CSP: no inline
// scripts, no CDN), so everything, the world atlas included, is bundled as static files.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4700' } },
});
