import { clientErrorResponse } from './client-errors';

describe('the answer to a request that is not valid HTTP', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408],
    ['HPE_INVALID_METHOD', 400],
    [undefined, 400],
  ])('%s: %d in the API error shape, closing the connection', (code, status) => {
    const raw = clientErrorResponse(code);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\nConnection: close(\r\n|$)/);
    expect(Number(/Content-Length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(body));
    const json = JSON.parse(body);
    expect(json).toMatchObject({ statusCode: status });
    expect(json.message.length).toBeGreaterThan(5);
  });
});
