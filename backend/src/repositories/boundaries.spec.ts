// The data layer's boundaries, checked on the source (see source-scan.ts): SQL only in
// repositories, and no connection or system repository reachable from API code.
import { join } from 'node:path';
import { forbiddenImports, isApiFile, isRepositoryFile, misplacedSql, SRC, sourceFiles } from './source-scan';

const show = (f: { file: string; line: number; what: string }) => `${f.file}:${f.line} ${f.what}`;

describe('where SQL lives', () => {
  it('no SQL outside backend/src/repositories', () => {
    const found = sourceFiles()
      .filter((f) => !isRepositoryFile(f))
      .flatMap((f) => misplacedSql(f));
    expect(found.map(show)).toEqual([]);
  });

  it('no API code imports a connection or a system repository', () => {
    const found = sourceFiles()
      .filter(isApiFile)
      .flatMap((f) => forbiddenImports(f));
    expect(found.map(show)).toEqual([]);
  });

  // The checks themselves, on a deliberately misplaced query: they must see it.
  it('would catch a query written in a service', () => {
    const file = join(SRC, 'courses', 'example.service.ts');
    const text = `
      export class Example {
        constructor(private readonly ds: { query(s: string): Promise<unknown> }) {}
        a() { return this.ds.query('SELECT 1'); }
        b() { const sql = \`SELECT id FROM courses WHERE title = \${'x'}\`; return sql; }
        c() { return 'UPDATE courses SET title = $1 WHERE id = $2'; }
        d() { return 'Select a course from the list'; }
      }`;
    expect(misplacedSql(file, text).map((f) => f.what)).toEqual([
      '.query(',
      'SQL string: SELECT 1',
      "SQL string: SELECT id FROM courses WHERE title = ${'x'}",
      'SQL string: UPDATE courses SET title = $1 WHERE id = $2',
    ]);
  });

  it('would catch a connection imported by a controller', () => {
    const file = join(SRC, 'courses', 'example.controller.ts');
    const text = `
      import { DataSource } from 'typeorm';
      import type { Pool } from 'pg';
      import { TenantDb } from '../repositories/tenant/tenant-db';
      import { CoursesSystemRepository } from '../repositories/system/courses.system-repository';
      import { TenantScope } from '../repositories/tenant/tenant-scope';
      import { transaction } from '../repositories/db';`;
    expect(forbiddenImports(file, text).map((f) => f.line)).toEqual([2, 3, 4, 5, 7]);
    expect(isApiFile(file)).toBe(true);
    expect(isApiFile(join(SRC, 'orchestrator', 'course-orchestrator.ts'))).toBe(false);
  });
});
