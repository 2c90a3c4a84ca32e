// The preview frame's React, bundled by dashboard/build/lesson-runtime.ts.
declare module 'virtual:lesson-runtime' {
  /** one ES module exporting { React, JsxRuntime, createRoot } */
  export const code: string;
  /** the names `react` exports (the frame's `react` module re-exports each) */
  export const reactExports: string[];
}
