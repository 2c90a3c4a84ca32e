// What the API answers when a request cannot even be parsed (a header block over the
// limit, a malformed request line, a client that stalls): fastify's own answer, in the
// API's error shape, with `Connection: close`. The socket is closed right after; without
// that header a keep-alive client (undici, a proxy's pool) may already have sent its next
// request on the same connection and sees it fail with "other side closed".
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

const ANSWERS: Record<string, [status: number, message: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request took too long to arrive'],
  HPE_HEADER_OVERFLOW: [431, 'the request headers are larger than the server accepts'],
};

/** The raw HTTP response for a request fastify could not parse. */
export function clientErrorResponse(code: string | undefined): string {
  const [status, message] = ANSWERS[code ?? ''] ?? [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** fastify's `clientErrorHandler`. */
export function handleClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node and fastify do: write the answer, then close without reading the rest.
  if (socket.writable) socket.write(clientErrorResponse(err.code));
  socket.destroy(err);
}
