// Vite config of the web console: served by the Switchboard server under /console/, built to
// console/dist by scripts/build-console.mjs (npm install runs it; so does the server when stale).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, reportCompressedSize: false },
});
