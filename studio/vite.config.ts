// Studio build (Vite + React) and component tests (Vitest + happy-dom).
// Built into ../dist/studio, which the API server serves at `/` (src/server/studio-static.ts).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/studio', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1000,
  },
  test: {
    root,
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});
