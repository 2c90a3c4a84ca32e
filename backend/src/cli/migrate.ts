// `npm run migrate`: applies every pending migration and exits.
import { loadConfig } from '../config/app-config';
import { createDataSource, migrate } from '../db/data-source';

async function main(): Promise<void> {
  const ds = createDataSource(loadConfig().databaseUrl);
  await ds.initialize();
  const ran = await migrate(ds);
  console.log(ran.length ? `applied ${ran.length} migration(s): ${ran.join(', ')}` : 'schema is up to date');
  await ds.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
