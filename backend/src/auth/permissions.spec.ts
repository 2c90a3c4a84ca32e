// The permission table: what it grants, that it is the only place a role is named, and
// that README.md's table is the one rendered from it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { ACTIONS, actionsOf, can, isOperator, permissionsMarkdown, PERMISSIONS, ROLES, rolesFor, type Role } from './permissions';

const ROOT = join(__dirname, '..', '..', '..');
const user = (role: Role, operator = false) => ({ role, operator });

describe('the permission table', () => {
  it('grants what each role does in its organization', () => {
    expect(can(user('ops'), 'courses.start')).toBe(true);
    expect(can(user('reviewer'), 'courses.start')).toBe(false);
    expect(can(user('reviewer'), 'courses.approve')).toBe(true);
    expect(can(user('finance'), 'courses.approve')).toBe(false);
    expect(can(user('finance'), 'gates.decideBudget')).toBe(true);
    expect(can(user('reviewer'), 'gates.decideBudget')).toBe(false);
    expect(can(user('finance'), 'traces.read')).toBe(true);
    expect(can(user('finance'), 'traces.readBodies')).toBe(false);
    expect(can(user('admin'), 'users.manage')).toBe(true);
    expect(can(user('ops'), 'users.manage')).toBe(false);
    expect(can(user('finance'), 'prices.edit')).toBe(true);
  });

  it('keeps operator-only actions for operators, whatever the role', () => {
    for (const action of ['queues.board', 'reports.crossTenant', 'catalog.edit'] as const) {
      for (const role of ROLES) expect(can(user(role), action)).toBe(false);
      expect(can(user('admin', true), action)).toBe(true);
      expect(rolesFor(action)).toEqual([]);
    }
  });

  it('makes operators of the platform organization admins only', () => {
    expect(isOperator('admin', true)).toBe(true);
    expect(isOperator('admin', false)).toBe(false);
    for (const role of ROLES.filter((r) => r !== ROLES[0])) expect(isOperator(role, true)).toBe(false);
  });

  it('refuses unknown roles, unknown actions and nobody', () => {
    expect(can({ role: 'root' as Role, operator: false }, 'courses.read')).toBe(false);
    expect(can(user('admin'), 'courses.obliterate' as never)).toBe(false);
    expect(can(user('admin'), 'constructor' as never)).toBe(false);
    expect(can(null, 'courses.read')).toBe(false);
  });

  it('lists every action a principal may do, and only those', () => {
    const fin = actionsOf(user('finance'));
    expect(fin).toEqual(ACTIONS.filter((a) => can(user('finance'), a)));
    expect(fin).toContain('reports.costs');
    expect(fin).not.toContain('queues.board');
    expect(actionsOf(user('admin', true))).toEqual(expect.arrayContaining(['queues.board', 'reports.crossTenant', 'users.manage']));
  });

  it('names only known roles', () => {
    for (const a of ACTIONS) for (const r of rolesFor(a)) expect(ROLES).toContain(r);
    expect(Object.keys(PERMISSIONS).length).toBe(ACTIONS.length);
  });

  // README.md's table is rendered from this one: `npm run permissions:readme` rewrites it.
  it('is the table README.md shows', () => {
    const path = join(ROOT, 'README.md');
    const block = /(<!-- permissions:start[^>]*-->\n)([\s\S]*?)(\n<!-- permissions:end -->)/;
    let readme = readFileSync(path, 'utf8');
    expect(readme).toMatch(block);
    if (process.env.UPDATE_PERMISSIONS_README) {
      readme = readme.replace(block, (_m, start: string, _old: string, end: string) => `${start}${permissionsMarkdown()}${end}`);
      writeFileSync(path, readme);
    }
    expect({ table: readme.match(block)![2], hint: 'run npm run permissions:readme' }).toEqual({
      table: permissionsMarkdown(),
      hint: 'run npm run permissions:readme',
    });
  });
});

// ---------------------------------------------------------------------------------------
// No role is named outside the table: the role names as string literals (or quoted inside
// SQL strings) anywhere in backend/src and dashboard/src, except here, the seed and the
// bootstrap (which create users of given roles) and tests.

const ROLE_NAMES: readonly string[] = ROLES;
const ALLOWED_FILES = ['backend/src/auth/permissions.ts', 'backend/src/cli/demo-data.ts', 'backend/src/cli/bootstrap.ts'];
const isTest = (f: string) => /\.(spec|test)\.tsx?$/.test(f);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist') out.push(...sources(path));
    } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Where `text` (a file's source) names a role in a string. */
export function roleLiterals(file: string, text: string): { line: number; text: string }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: { line: number; text: string }[] = [];
  const quoted = new RegExp(`'(${ROLE_NAMES.join('|')})'`);
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    ) {
      const value = node.text.trim();
      if (ROLE_NAMES.includes(value) || quoted.test(node.text)) {
        found.push({ line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText().slice(0, 80) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('roles are named in the permission table only', () => {
  it('finds no role literal in backend/src or dashboard/src outside it, the seed, the bootstrap and tests', () => {
    const files = [...sources(join(ROOT, 'backend', 'src')), ...sources(join(ROOT, 'dashboard', 'src'))]
      .map((f) => relative(ROOT, f))
      .filter((f) => !isTest(f) && !ALLOWED_FILES.includes(f));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => roleLiterals(f, readFileSync(join(ROOT, f), 'utf8')).map((x) => `${f}:${x.line} ${x.text}`));
    expect(found).toEqual([]);
  });

  it('would catch a role compared in a service, in a type, in SQL and in a component', () => {
    const text = `
      type R = 'admin' | 'ops';
      if (user.role === "finance") deny();
      const sql = \`SELECT id FROM users WHERE role = 'reviewer' AND x = \${y}\`;
      const roles = ['ops'];
      const ok = 'administrator and operations';`;
    expect(roleLiterals('x.ts', text).map((f) => f.line)).toEqual([2, 2, 3, 4, 5]);
    expect(roleLiterals('x.tsx', `const A = () => <div>{p === 'admin' && <B role="img" />}</div>;`).map((f) => f.line)).toEqual([1]);
  });
});
