// Reads the backend's own source to keep the data layer's two promises checkable
// (DESIGN.md, "Where SQL lives, and who may run it"):
// - SQL is written in repositories only: outside backend/src/repositories/ no file calls
//   `.query(` or `createQueryBuilder`, or holds a string that reads as SQL;
// - API code (controllers and request services) never imports a connection or a system
//   repository, so a request handler can only reach Postgres through TenantScope.
// It also lists every repository query, so that `npm run sql:snapshots` can write them
// to backend/src/queries/ and a unit test can fail when those files are stale.
// Uses the TypeScript compiler's parser: strings are found as literals, not by grep.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

export const SRC = join(__dirname, '..');
export const REPOSITORIES = join(SRC, 'repositories');
export const QUERIES = join(SRC, 'queries');

/** Folders whose code runs on behalf of a request. */
export const API_FOLDERS = [
  'alerts',
  'approvals',
  'auth',
  'budgets',
  'common',
  'courses',
  'documents',
  'health',
  'lessons',
  'live',
  'jobs-api',
  'models-api',
  'organization',
  'overview',
  'queues-board',
  'reports',
  'traces',
  'users',
];

/** What API code may not import: connections and the system door. */
const FORBIDDEN_FOR_API: { test: (spec: string, resolved: string | null) => boolean; why: string }[] = [
  { test: (s) => s === 'typeorm' || s.startsWith('typeorm/'), why: 'typeorm (a connection)' },
  { test: (s) => s === 'pg' || s.startsWith('pg/'), why: 'pg (a connection)' },
  { test: (_s, r) => !!r && r.startsWith(join(REPOSITORIES, 'system') + sep), why: 'a system repository (the owner connection)' },
  { test: (_s, r) => r === join(REPOSITORIES, 'db'), why: 'the connection layer' },
  { test: (_s, r) => r === join(REPOSITORIES, 'tenant', 'tenant-db'), why: 'TenantDb (use TenantScope)' },
  { test: (_s, r) => !!r && r.startsWith(join(SRC, 'db') + sep), why: 'the DataSource' },
];

// Statements as this code base writes them: keywords in capitals.
const SQL =
  /\b(SELECT\s[\s\S]*\bFROM\b|SELECT\s+(1|count|coalesce|set_config|pg_)|INSERT\s+INTO\b|UPDATE\s+[a-z_]+(\s+[a-z]+)?\s+SET\b|DELETE\s+FROM\b|WITH\s+[a-z_]+\s+AS\s*\(|CREATE\s+(TABLE|INDEX|FUNCTION|POLICY)\b|ALTER\s+TABLE\b|ON\s+CONFLICT\b)/;

export function looksLikeSql(text: string): boolean {
  return SQL.test(text);
}

export interface Finding {
  file: string;
  line: number;
  what: string;
}

export function sourceFiles(dir: string = SRC): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function parse(file: string, text = readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The literal text of a string or template (substitutions as `${…}`), else null. */
function literalText(node: ts.Node, sf: ts.SourceFile): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map((s) => `\${${s.expression.getText(sf)}}${s.literal.text}`).join('');
  }
  return null;
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** SQL written outside the repositories: calls that run it and strings that hold it. */
export function misplacedSql(file: string, text?: string): Finding[] {
  const sf = parse(file, text);
  const found: Finding[] = [];
  const rel = relative(SRC, file);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      if (name === 'query' || name === 'createQueryBuilder') found.push({ file: rel, line: lineOf(sf, node), what: `.${name}(` });
    }
    // A template's parts are visited through the template itself.
    if (!ts.isTemplateHead(node) && !ts.isTemplateMiddle(node) && !ts.isTemplateTail(node)) {
      const literal = literalText(node, sf);
      if (literal !== null) {
        if (looksLikeSql(literal)) found.push({ file: rel, line: lineOf(sf, node), what: `SQL string: ${literal.trim().split('\n')[0].slice(0, 60)}` });
        if (ts.isTemplateExpression(node)) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function resolveImport(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return join(file, '..', spec).replace(/\.ts$/, '');
}

/** Imports of API code that reach a connection or the system door. */
export function forbiddenImports(file: string, text?: string): Finding[] {
  const sf = parse(file, text);
  const found: Finding[] = [];
  const check = (spec: string, node: ts.Node) => {
    const resolved = resolveImport(file, spec);
    for (const rule of FORBIDDEN_FOR_API) {
      if (rule.test(spec, resolved)) found.push({ file: relative(SRC, file), line: lineOf(sf, node), what: `imports ${rule.why}: '${spec}'` });
    }
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      check(node.moduleSpecifier.text, node);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]) &&
      ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)
    ) {
      check((node.arguments[0] as ts.StringLiteral).text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

export function isApiFile(file: string): boolean {
  const top = relative(SRC, file).split(sep)[0];
  return API_FOLDERS.includes(top);
}

export function isRepositoryFile(file: string): boolean {
  return file.startsWith(REPOSITORIES + sep);
}

export interface NamedQuery {
  /** Class.method, function or constant the statement belongs to */
  owner: string;
  sql: string;
}

function ownerName(node: ts.Node, sf: ts.SourceFile): string {
  const names: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isPropertyDeclaration(n)) && n.name) names.unshift(n.name.getText(sf));
    else if (ts.isConstructorDeclaration(n)) names.unshift('constructor');
    else if (ts.isFunctionDeclaration(n) && n.name) names.unshift(n.name.text);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && ts.isSourceFile(n.parent.parent.parent)) names.unshift(n.name.text);
    else if (ts.isClassDeclaration(n) && n.name) names.unshift(n.name.text);
    else if (ts.isPropertyAssignment(n) && names.length === 0) names.unshift(n.name.getText(sf));
  }
  return names.join('.') || '(module)';
}

function dedent(sql: string): string {
  const lines = sql.replace(/^\n+|\s+$/g, '').split('\n');
  const indents = lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(Math.min(cut, /^ */.exec(l)![0].length)).trimEnd())].join('\n');
}

/** Every SQL statement (or fragment) a repository file holds, in source order. */
export function repositoryQueries(file: string, text?: string): NamedQuery[] {
  const sf = parse(file, text);
  const out: NamedQuery[] = [];
  const visit = (node: ts.Node): void => {
    if (!ts.isTemplateHead(node) && !ts.isTemplateMiddle(node) && !ts.isTemplateTail(node)) {
      const literal = literalText(node, sf);
      if (literal !== null && looksLikeSql(literal)) {
        out.push({ owner: ownerName(node, sf), sql: dedent(literal) });
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The snapshot file of one repository: its path under queries/ and its text. */
export function snapshotOf(file: string): { path: string; text: string } | null {
  const queries = repositoryQueries(file);
  if (!queries.length) return null;
  const rel = relative(REPOSITORIES, file).split(sep).join('/');
  const body = queries.map((q) => `-- ${q.owner}\n${q.sql}\n`).join('\n');
  return {
    path: join(QUERIES, rel.replace(/\.ts$/, '.sql').split('/').join('.')),
    text: `-- Queries of backend/src/repositories/${rel}, written by \`npm run sql:snapshots\`; do not edit.\n\n${body}`,
  };
}

export function allSnapshots(): { path: string; text: string }[] {
  return sourceFiles(REPOSITORIES)
    .map(snapshotOf)
    .filter((s): s is { path: string; text: string } => s !== null);
}
