// `npm run worker:health`: the worker container's healthcheck. A worker has no HTTP port;
// it writes a heartbeat to Redis every 5 s (key expires after 15 s) named after its host
// and pid. Healthy (exit 0) when a live heartbeat of a worker on this host exists and is
// not draining; else exit 1 with the reason.
import IORedis from 'ioredis';
import { hostname } from 'node:os';
import { loadConfig } from '../config/app-config';
import { heartbeatPrefix, WorkerBeat } from '../jobs/worker.host';

async function main(): Promise<number> {
  const config = loadConfig();
  const redis = new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${heartbeatPrefix(config.queuePrefix)}${hostname()}-*`);
    const beats = (await Promise.all(keys.map((k) => redis.get(k)))).flatMap((v) => {
      try {
        return v ? [JSON.parse(v) as WorkerBeat] : [];
      } catch {
        return [];
      }
    });
    const live = beats.filter((b) => !b.draining);
    if (live.length) {
      console.log(`healthy: ${live.length} worker(s) on ${hostname()}, ${live.reduce((n, b) => n + b.running, 0)} job(s) running`);
      return 0;
    }
    console.error(beats.length ? `unhealthy: the worker on ${hostname()} is draining` : `unhealthy: no worker heartbeat from ${hostname()} in Redis`);
    return 1;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`unhealthy: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
