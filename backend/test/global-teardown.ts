import { Client } from 'pg';
import IORedis from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.MC_TEST_DATABASE;
  if (name && !process.env.KEEP_TEST_DATABASE) {
    const client = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix) {
    const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await redis.quit();
  }
}
