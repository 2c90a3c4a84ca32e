import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { precompressPlugin } from './build/precompress';
import { lessonRuntimePlugin } from './build/lesson-runtime';

export default defineConfig({
  plugins: [react(), lessonRuntimePlugin(), precompressPlugin()],
  base: '/',
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
  test: { include: ['src/**/*.spec.ts'] },
});
