// `npm run seed`: migrates, then adds the demo organizations, users and prices.
import { loadConfig } from '../config/app-config';
import { createDataSource, migrate } from '../db/data-source';
import { DemoDataSystemRepository } from '../repositories/system/demo-data.system-repository';
import { SystemDb } from '../repositories/system/system-db';
import { seedDemo } from './demo-data';

async function main(): Promise<void> {
  const config = loadConfig();
  const ds = createDataSource(config.databaseUrl);
  await ds.initialize();
  await migrate(ds);
  await seedDemo(new DemoDataSystemRepository(new SystemDb(ds)), config.env);
  console.log('demo organizations, users and model prices are in place');
  await ds.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
