// Errors that say the infrastructure blinked (Postgres restarting, a connection cut,
// Redis unreachable), not that the phase's work is wrong. A phase that hits one is put
// back to run again later without spending one of its attempts, and is never reported
// as PHASE_FAILED: a Postgres restart must not fail courses.

const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', '57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /connection is closed/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Connection terminated unexpectedly/i,
  /Client has encountered a connection error/i,
  /getaddrinfo|connect ECONNREFUSED/i,
  /Reached the max retries per request limit/i,
];

export function isTransientInfrastructureError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const x = e as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof x.code === 'string' ? x.code : undefined;
    if (code && (CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof x.message === 'string' && MESSAGES.some((m) => m.test(x.message as string))) return true;
    e = x.driverError ?? x.cause;
  }
  return false;
}
