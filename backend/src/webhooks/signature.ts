// Standard Webhooks signatures: HMAC-SHA256 over "id.timestamp.body" with the
// organization's secret ("whsec_" + base64 key), sent as "v1,<base64>".
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** A new secret: 32 random bytes, "whsec_" + base64 (Standard Webhooks allows 24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated (the current one first). */
export function signatures(secrets: (string | null | undefined)[], id: string, timestamp: number, body: string): string {
  return secrets
    .filter((s): s is string => !!s)
    .map((s) => sign(s, id, timestamp, body))
    .join(' ');
}

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', key(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Verifies any of the space-separated signatures, as a receiver would. */
export function verify(secret: string, id: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, id, timestamp, body));
  return header.split(' ').some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
