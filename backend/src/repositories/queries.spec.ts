// Every repository query is written out to backend/src/queries/<repository>.sql, so a
// change of SQL shows in review. This test fails when those files are stale; refresh
// them with `npm run sql:snapshots` (which runs this file with UPDATE_SQL_SNAPSHOTS=1).
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { allSnapshots, QUERIES, repositoryQueries, SRC } from './source-scan';

const update = process.env.UPDATE_SQL_SNAPSHOTS === '1';

describe('query snapshots', () => {
  const snapshots = allSnapshots();

  it('lists the statements of a repository under their method names', () => {
    const text = `
      export class ThingsRepository {
        list() { return this.db.query(\`SELECT id FROM things WHERE organization_id = $1\`, [1]); }
        lock() { return this.db.query('SELECT 1 FROM things WHERE id = $1 FOR UPDATE', [2]); }
      }`;
    expect(repositoryQueries(join(SRC, 'repositories', 'x.ts'), text)).toEqual([
      { owner: 'ThingsRepository.list', sql: 'SELECT id FROM things WHERE organization_id = $1' },
      { owner: 'ThingsRepository.lock', sql: 'SELECT 1 FROM things WHERE id = $1 FOR UPDATE' },
    ]);
  });

  it('are up to date with the repositories', () => {
    if (update) {
      mkdirSync(QUERIES, { recursive: true });
      for (const old of readdirSync(QUERIES)) if (old.endsWith('.sql')) unlinkSync(join(QUERIES, old));
      for (const s of snapshots) writeFileSync(s.path, s.text);
    }
    const stale = snapshots.filter((s) => !existsSync(s.path) || readFileSync(s.path, 'utf8') !== s.text).map((s) => basename(s.path));
    const wanted = new Set(snapshots.map((s) => basename(s.path)));
    const orphans = existsSync(QUERIES) ? readdirSync(QUERIES).filter((f) => f.endsWith('.sql') && !wanted.has(f)) : [];
    expect({ stale, orphans, hint: stale.length || orphans.length ? 'run npm run sql:snapshots' : '' }).toEqual({ stale: [], orphans: [], hint: '' });
  });
});
