// The webhook agent connects only to checked addresses: a name that resolves (or
// rebinds) to loopback is refused at connect time, no request reaches the server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookAgent, guardedLookup, RefusedAddressError, safeFetch, type Resolve } from './safe-fetch';

const resolvesTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook agent', () => {
  let server: http.Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` });
        return res.end();
      }
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    hits.length = 0;
  });

  const post = (url: string, opts: Parameters<typeof createWebhookAgent>[0]) => {
    const dispatcher = createWebhookAgent(opts);
    return safeFetch(url, { method: 'POST', body: '{}' }, { dispatcher }).finally(() => dispatcher.close());
  };

  it('refuses to connect when the name resolves to 127.0.0.1', async () => {
    await expect(post(`http://rebind.example:${port}/hook`, { resolve: resolvesTo('127.0.0.1') })).rejects.toThrow(RefusedAddressError);
    await expect(post(`http://rebind.example:${port}/hook`, { resolve: resolvesTo('127.0.0.1') })).rejects.toThrow(
      /refused: host rebind\.example resolves to a private.*127\.0\.0\.1/,
    );
    expect(hits).toEqual([]);
  });

  it('refuses when any resolved address is refused, in any of the embedded forms', async () => {
    for (const bad of [['8.8.8.8', '127.0.0.1'], ['::ffff:127.0.0.1'], ['2002:7f00:1::'], ['64:ff9b::7f00:1'], ['::7f00:1'], ['169.254.169.254']]) {
      await expect(post(`http://rebind.example:${port}/hook`, { resolve: resolvesTo(...bad) })).rejects.toThrow(RefusedAddressError);
    }
    expect(hits).toEqual([]);
  });

  it('refuses a literal private address and a blocked name', async () => {
    await expect(post(`http://127.0.0.1:${port}/hook`, {})).rejects.toThrow(RefusedAddressError);
    await expect(post(`http://localhost:${port}/hook`, {})).rejects.toThrow(/refused: host localhost is not allowed/);
    expect(hits).toEqual([]);
  });

  it('lets an allow-listed host through by name, as checkWebhookUrl does', async () => {
    const byName = await post(`http://rebind.example:${port}/hook`, { allowHosts: ['rebind.example'], resolve: resolvesTo('127.0.0.1') });
    expect(byName.status).toBe(200);
    const literal = await post(`http://127.0.0.1:${port}/hook`, { allowHosts: ['127.0.0.1'] });
    expect(literal.status).toBe(200);
    expect(hits).toEqual(['/hook', '/hook']);
    // The allow-list names a host, not an address: another name resolving to it is still refused.
    await expect(post(`http://other.example:${port}/hook`, { allowHosts: ['127.0.0.1'], resolve: resolvesTo('127.0.0.1') })).rejects.toThrow(
      RefusedAddressError,
    );
  });

  it('never follows a redirect', async () => {
    const res = await post(`http://127.0.0.1:${port}/redirect`, { allowHosts: ['127.0.0.1'] });
    expect(res.status).toBe(302);
    expect(hits).toEqual(['/redirect']);
  });

  it('answers both lookup call forms (one address, or all of them)', async () => {
    const lookup = guardedLookup([], resolvesTo('8.8.8.8', '2606:4700::1111'));
    const one = await new Promise((resolve, reject) => lookup('good.example', {}, (err, address, family) => (err ? reject(err) : resolve([address, family]))));
    expect(one).toEqual(['8.8.8.8', 4]);
    const all = await new Promise((resolve, reject) => lookup('good.example', { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
    expect(all).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
    const refused = await new Promise((resolve) => guardedLookup([], resolvesTo('10.0.0.1'))('bad.example', { all: true }, (err) => resolve(err)));
    expect(refused).toBeInstanceOf(RefusedAddressError);
  });
});
