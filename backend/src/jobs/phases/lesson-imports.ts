// What a lesson may import. The dashboard's preview frame (dashboard/src/lessons/sandbox.ts)
// resolves exactly these modules, bundled into the frame; anything else would compile and
// then render broken, so a lesson importing anything else fails validation — inside the
// gateway's repair levels (asked again with the error, then the fallback model).
import { transformSync } from 'esbuild';

/** The modules a lesson may import; README "Lesson preview" lists them. */
export const ALLOWED_LESSON_IMPORTS = ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime'] as const;

const STATIC = /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']/gm;
const BARE = /^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

/** The modules a TSX source imports (statically, or dynamically by a literal name); null when it does not compile. */
export function lessonImports(tsx: string): string[] | null {
  let js: string;
  try {
    // verbatimModuleSyntax: an import the lesson does not use is still an import it asked for (only `import type` goes).
    js = transformSync(tsx, {
      loader: 'tsx',
      jsx: 'preserve',
      format: 'esm',
      logLevel: 'silent',
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    }).code;
  } catch {
    return null;
  }
  const found = new Set<string>();
  for (const re of [STATIC, BARE, DYNAMIC]) for (const m of js.matchAll(re)) found.add(m[1]);
  return [...found];
}

/** Why a lesson's imports are refused, or null when they are all allowed (or it does not compile: the compiler says why). */
export function lessonImportProblem(tsx: string): string | null {
  const imports = lessonImports(tsx);
  if (!imports) return null;
  const refused = imports.filter((m) => !(ALLOWED_LESSON_IMPORTS as readonly string[]).includes(m));
  if (refused.length === 0) return null;
  return `imports ${refused.map((m) => `"${m}"`).join(', ')}, which the lesson preview does not provide; a lesson may import only ${ALLOWED_LESSON_IMPORTS.join(', ')} (write everything else inside the lesson)`;
}
