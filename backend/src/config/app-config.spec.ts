import { ConfigError, loadConfig } from './app-config';

const strong = 'x'.repeat(32);
const fails = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('loadConfig: the JWT secret', () => {
  it('reads the model client settings: timeouts per task, the Retry-After cap, streaming, attribution', () => {
    const c = loadConfig({
      NODE_ENV: 'test',
      LLM_TIMEOUTS: '{"lesson_content":300000}',
      LLM_RETRY_AFTER_CAP_MS: '5000',
      LLM_STREAMING: 'false',
      LLM_APP_TITLE: 'MC',
    });
    expect(c.llm).toMatchObject({
      timeouts: { default: 120_000, lesson_content: 300_000 },
      retryAfterCapMs: 5000,
      streaming: false,
      appTitle: 'MC',
      outputBudgets: {},
    });
    expect(loadConfig({ NODE_ENV: 'test' }).llm).toMatchObject({ retryAfterCapMs: 60_000, streaming: true });
    expect(() => loadConfig({ NODE_ENV: 'test', LLM_TIMEOUTS: '{"lessons":1000}' })).toThrow(/LLM_TIMEOUTS: .*Unrecognized key: "lessons"/);
    expect(() => loadConfig({ NODE_ENV: 'test', LLM_OUTPUT_BUDGETS: '{' })).toThrow('LLM_OUTPUT_BUDGETS: is not valid JSON');
  });

  it('refuses to start without JWT_SECRET when NODE_ENV is not set, with a one-line reason', () => {
    const message = fails({});
    expect(message).toMatch(/^invalid configuration: JWT_SECRET must be set \(NODE_ENV is not set;/);
    expect(message).not.toContain('\n');
  });

  it('refuses to start without JWT_SECRET in production', () => {
    const message = fails({ NODE_ENV: 'production' });
    expect(message).toMatch(/JWT_SECRET must be set \(NODE_ENV is production/);
    expect(message).not.toContain('\n');
  });

  it('falls back to the development secret only for an explicit NODE_ENV=development or test', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ env: 'development', jwt: { secret: 'mission-control-development-secret' } });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ env: 'test', jwt: { secret: 'mission-control-development-secret' } });
    // A short secret is fine for development and tests.
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'sixteen-chars-ok' }).jwt.secret).toBe('sixteen-chars-ok');
  });

  it('refuses a secret shorter than 32 bytes, or the development secret, outside development and test', () => {
    expect(fails({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) })).toMatch(
      /^invalid configuration: JWT_SECRET must be at least 32 bytes .*\(it is 31\)$/,
    );
    expect(fails({ JWT_SECRET: 'x'.repeat(31) })).toMatch(/at least 32 bytes/);
    // Bytes, not characters: 16 three-byte characters are 48 bytes.
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: '€'.repeat(16) }).jwt.secret).toBe('€'.repeat(16));
    expect(fails({ NODE_ENV: 'production', JWT_SECRET: 'mission-control-development-secret' })).toMatch(/must not be the development secret/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: strong })).toMatchObject({ env: 'production', jwt: { secret: strong } });
  });

  it('with NODE_ENV unset and a strong JWT_SECRET, starts (as before: development defaults otherwise)', () => {
    expect(loadConfig({ JWT_SECRET: strong })).toMatchObject({ env: 'development', jwt: { secret: strong, ttlSeconds: 900 } });
  });

  it('reports every other invalid variable on one line too', () => {
    const message = fails({ NODE_ENV: 'test', PORT: 'abc', REDIS_URL: 'nope' });
    expect(message).toMatch(/^invalid configuration: /);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toContain('\n');
  });
});

describe('loadConfig: probes', () => {
  it('serves the worker probes on 3001 unless told otherwise; 0 serves none; a port out of range is refused', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).workerHealthPort).toBe(3001);
    expect(loadConfig({ NODE_ENV: 'test', WORKER_HEALTH_PORT: '0' }).workerHealthPort).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', WORKER_HEALTH_PORT: '9105' }).workerHealthPort).toBe(9105);
    expect(fails({ NODE_ENV: 'test', WORKER_HEALTH_PORT: '70000' })).toMatch(/WORKER_HEALTH_PORT/);
    expect(fails({ NODE_ENV: 'test', WORKER_HEALTH_PORT: 'http' })).toMatch(/WORKER_HEALTH_PORT/);
  });

  it('keeps serving 5 s after SIGTERM in production only, unless SHUTDOWN_DELAY_MS says', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: strong }).shutdownDelayMs).toBe(5000);
    expect(loadConfig({ NODE_ENV: 'test' }).shutdownDelayMs).toBe(0);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: strong, SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
    expect(fails({ NODE_ENV: 'test', SHUTDOWN_DELAY_MS: '-1' })).toMatch(/SHUTDOWN_DELAY_MS/);
  });
});
