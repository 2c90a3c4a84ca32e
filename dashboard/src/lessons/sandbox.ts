// The srcdoc of the sandboxed iframe that renders a compiled lesson. The lesson is an
// ES module compiled with the automatic JSX runtime. The frame gets real React (react +
// react-dom, bundled into the dashboard's build: dashboard/build/lesson-runtime.ts) as
// data: URLs through an import map: `react`, `react/jsx-runtime`, `react/jsx-dev-runtime`
// — the lesson's allowed imports, the same list the backend checks at generation
// (backend/src/jobs/phases/lesson-imports.ts) — and nothing else resolves. A CSP allows
// no network at all, and (set by the page) sandbox="allow-scripts" without
// allow-same-origin: an opaque origin, no access to the dashboard's storage, cookies or DOM.

/** The modules a lesson may import (README "Lesson preview"). */
export const ALLOWED_LESSON_IMPORTS = ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime'] as const;

export interface LessonRuntime {
  code: string;
  reactExports: string[];
}

function dataUrl(js: string): string {
  const bytes = new TextEncoder().encode(js);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:text/javascript;base64,${btoa(bin)}`;
}

const REACT_SHIM = (names: string[]) =>
  `import { React } from 'mc-runtime';\nconst R = React.default ?? React;\nexport default R;\nexport const { ${names.join(', ')} } = R;\n`;
const JSX_SHIM = `import { JsxRuntime } from 'mc-runtime';\nexport const { jsx, jsxs, Fragment } = JsxRuntime;\n`;
const JSX_DEV_SHIM = `import { JsxRuntime } from 'mc-runtime';\nexport const { Fragment } = JsxRuntime;\nexport const jsxDEV = (type, props, key) => JsxRuntime.jsx(type, props, key);\n`;

// Mounts the lesson under an error boundary: a lesson that throws shows why, in the frame.
const MOUNT = `
import { React, createRoot } from 'mc-runtime';
const root = document.getElementById('root');
const fail = (e) => { root.textContent = 'This lesson failed to render: ' + (e && e.message ? e.message : e); };
class Boundary extends React.Component {
  constructor(p) { super(p); this.state = { error: null }; }
  static getDerivedStateFromError(error) { return { error }; }
  render() { return this.state.error ? React.createElement('p', { role: 'alert' }, 'This lesson failed to render: ' + this.state.error.message) : this.props.children; }
}
import('lesson').then((m) => {
  if (typeof m.default !== 'function') throw new Error('the lesson has no default export to render');
  createRoot(root).render(React.createElement(Boundary, null, React.createElement(m.default)));
}).catch(fail);
`;

export function lessonSrcdoc(compiledJs: string, runtime: LessonRuntime): string {
  const imports = {
    'mc-runtime': dataUrl(runtime.code),
    react: dataUrl(REACT_SHIM(runtime.reactExports)),
    'react/jsx-runtime': dataUrl(JSX_SHIM),
    'react/jsx-dev-runtime': dataUrl(JSX_DEV_SHIM),
    lesson: dataUrl(compiledJs),
  };
  // JSON inside <script>: escape '<' so no string in it can close the tag.
  const importMap = JSON.stringify({ imports }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' data:; style-src 'unsafe-inline'; img-src data:">
<style>body{font-family:system-ui,sans-serif;margin:16px;line-height:1.5}</style>
<script type="importmap">${importMap}</script></head>
<body><main id="root"></main>
<script type="module">${MOUNT}</script></body></html>`;
}
