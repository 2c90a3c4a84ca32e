// Built with the dashboard's Vite, React plugin and precompression, so both apps are
// served the same way by the same API server (DASHBOARD_DIR).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '../../../../dashboard/node_modules/@vitejs/plugin-react/dist/index.js';
import { precompressPlugin } from '../../../../dashboard/build/precompress';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompressPlugin()],
  base: '/',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4000 },
});
