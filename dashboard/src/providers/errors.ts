// Turns whatever a failed call threw into the one line a notification shows. Server
// errors look like {statusCode, message, error}; message may be a list of field errors.

export function errorMessage(err: unknown, fallback = 'ra.notification.http_error'): string {
  const e = err as { body?: { message?: unknown } | null; message?: unknown } | null | undefined;
  const fromBody = e?.body?.message;
  if (Array.isArray(fromBody) && fromBody.length) return fromBody.map(String).join('; ');
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  if (typeof e?.message === 'string' && e.message) return e.message;
  return fallback;
}
