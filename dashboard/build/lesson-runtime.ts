// A build step: the lesson preview's React, bundled into one ES module string that the
// sandboxed frame receives inline (dashboard/src/lessons/sandbox.ts), so the frame runs
// real React with no network. `import { code, reactExports } from 'virtual:lesson-runtime'`.
// It lands in the lesson page's lazy chunk, never on the first screen.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const ID = 'virtual:lesson-runtime';
const RESOLVED = `\0${ID}`;

// What the frame's `mc-runtime` module exports; the import map's `react` and
// `react/jsx-runtime` are small modules re-exporting from it (one React instance).
const ENTRY = `
import * as React from 'react';
import * as JsxRuntime from 'react/jsx-runtime';
import { createRoot } from 'react-dom/client';
export { React, JsxRuntime, createRoot };
`;

export async function bundleLessonRuntime(root: string): Promise<{ code: string; reactExports: string[] }> {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const react = createRequire(`${root}/package.json`)('react') as Record<string, unknown>;
  const reactExports = Object.keys(react).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
  return { code: out.outputFiles[0].text, reactExports };
}

export function lessonRuntimePlugin(): Plugin {
  let root = process.cwd();
  return {
    name: 'mission-control-lesson-runtime',
    configResolved(c) {
      root = c.root;
    },
    resolveId(id) {
      return id === ID ? RESOLVED : null;
    },
    async load(id) {
      if (id !== RESOLVED) return null;
      const { code, reactExports } = await bundleLessonRuntime(root);
      return `export const code = ${JSON.stringify(code)};\nexport const reactExports = ${JSON.stringify(reactExports)};\n`;
    },
  };
}
