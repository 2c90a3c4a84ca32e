// The long-lived scrape credential: METRICS_TOKEN, sent by Prometheus as
// `Authorization: Bearer <token>` (its `authorization` / `bearer_token_file` scrape
// setting). Accepted on /api/metrics (besides user tokens with metrics.read) and on a
// worker's /metrics; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice(7)), digest(token));
}
