// The srcdoc of the sandboxed iframe that renders a compiled lesson. The lesson is an
// ES module compiled with the automatic JSX runtime; the iframe gets a tiny DOM-based
// `react` / `react/jsx-runtime` through an import map (data: URLs), a CSP that allows no
// network at all, and (set by the page) sandbox="allow-scripts" without allow-same-origin:
// an opaque origin, no access to the dashboard's storage, cookies or DOM.

const RUNTIME = `
export const Fragment = Symbol.for('lesson.fragment');
export function jsx(type, props) { return { type, props: props || {} }; }
export const jsxs = jsx, jsxDEV = jsx;
export function createElement(type, props, ...children) {
  return { type, props: { ...(props || {}), children: children.length > 1 ? children : children[0] } };
}
export function useState(v) { return [typeof v === 'function' ? v() : v, () => {}]; }
export function useMemo(f) { return f(); }
export function useEffect() {}
export function useRef(v) { return { current: v }; }
export function render(node) {
  if (node === null || node === undefined || node === false || node === true) return document.createTextNode('');
  if (typeof node === 'string' || typeof node === 'number') return document.createTextNode(String(node));
  if (Array.isArray(node)) { const f = document.createDocumentFragment(); node.forEach((n) => f.append(render(n))); return f; }
  const { type, props } = node;
  if (typeof type === 'function') return render(type(props));
  if (type === Fragment) return render(props.children);
  const el = document.createElement(type);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'children' || k === 'key' || v === undefined || v === null || v === false) continue;
    if (k === 'className') el.setAttribute('class', v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (/^on[A-Z]/.test(k) && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(render(props.children));
  return el;
}
export default { createElement, Fragment, useState, useMemo, useEffect, useRef };
`;

function dataUrl(js: string): string {
  const bytes = new TextEncoder().encode(js);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `data:text/javascript;base64,${btoa(bin)}`;
}

export function lessonSrcdoc(compiledJs: string): string {
  const runtime = dataUrl(RUNTIME);
  const imports = { react: runtime, 'react/jsx-runtime': runtime, 'react/jsx-dev-runtime': runtime, lesson: dataUrl(compiledJs) };
  // JSON inside <script>: escape '<' so no string in it can close the tag.
  const importMap = JSON.stringify({ imports }).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' data:; style-src 'unsafe-inline'; img-src data:">
<style>body{font-family:system-ui,sans-serif;margin:16px;line-height:1.5}</style>
<script type="importmap">${importMap}</script></head>
<body><div id="root"></div>
<script type="module">
import Lesson from 'lesson';
import { jsx, render } from 'react/jsx-runtime';
try { document.getElementById('root').append(render(jsx(Lesson, {}))); }
catch (e) { document.getElementById('root').textContent = 'This lesson failed to render: ' + e; }
</script></body></html>`;
}
