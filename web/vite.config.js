// The web app's build: Vite with the Preact preset, rooted at web/ and written to
// web/dist, which `prakerja serve --static web/dist` serves at "/". `npm run dev`
// proxies /api to a local server on PRAKERJA_API (default http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env.PRAKERJA_API || 'http://127.0.0.1:8080' },
  },
});
