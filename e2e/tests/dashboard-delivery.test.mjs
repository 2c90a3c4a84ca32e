// How the dashboard's files travel: the assets index.html names come precompressed
// (brotli when the browser takes it, else gzip) with a year's immutable cache, index.html
// is revalidated at every load, the API's nosniff header stays, and the first screen's
// JS + CSS on the wire stays under 400 KB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startStack } from '../harness.mjs';

const FIRST_SCREEN_WIRE_LIMIT = 400 * 1024;

/** GET with exact request headers (fetch would add its own accept-encoding and decode). Body bytes as sent. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first screen: the entry script, its modulepreloads and stylesheets named by index.html. */
function firstScreenAssets(html) {
  const refs = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

describe('dashboard delivery', () => {
  let stack;
  let html;
  let assets;
  before(async () => {
    stack = await startStack({ workers: 0 });
    const index = await get(`${stack.baseUrl}/`, { 'accept-encoding': 'br, gzip' });
    assert.equal(index.status, 200);
    // index.html may come precompressed too; either way it is read as text.
    const encoding = index.headers['content-encoding'];
    const raw = encoding === 'br' ? brotliDecompressSync(index.body) : encoding === 'gzip' ? gunzipSync(index.body) : index.body;
    html = raw.toString('utf8');
    assert.match(html, /<script/, 'index.html names the first screen');
    assets = firstScreenAssets(html);
  });
  after(async () => {
    await stack?.stop();
  });

  it('revalidates index.html at every load and keeps the API headers', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await get(`${stack.baseUrl}${path}`, { 'accept-encoding': 'br, gzip' });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['cache-control'], 'no-cache', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.match(String(res.headers['content-type']), /^text\/html/, path);
    }
  });

  it('serves the first screen precompressed, brotli or gzip by accept-encoding, immutable for a year', async () => {
    assert.ok(
      assets.some((a) => a.endsWith('.js')),
      `index.html names its scripts: ${assets}`,
    );
    const wire = { br: 0, gzip: 0, identity: 0 };
    for (const asset of assets) {
      const type = asset.endsWith('.js') ? /^(text|application)\/javascript/ : /^text\/css/;
      const plain = await get(`${stack.baseUrl}${asset}`);
      assert.equal(plain.status, 200, asset);
      assert.equal(plain.headers['content-encoding'], undefined, `${asset} without accept-encoding`);
      wire.identity += plain.body.length;
      for (const [accept, expected] of [
        ['br, gzip', 'br'],
        ['gzip', 'gzip'],
      ]) {
        const res = await get(`${stack.baseUrl}${asset}`, { 'accept-encoding': accept });
        assert.equal(res.status, 200, asset);
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', `${asset} (${accept})`);
        assert.match(String(res.headers['content-type']), type, asset);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', asset);
        assert.match(String(res.headers.vary), /accept-encoding/i, asset);
        // Small files may be sent as they are; the big ones must be compressed.
        if (plain.body.length >= 1024) assert.equal(res.headers['content-encoding'], expected, `${asset} asked with accept-encoding: ${accept}`);
        wire[expected] += res.body.length;
      }
    }
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`first screen JS+CSS on the wire (${assets.length} files): ${kb(wire.br)} brotli, ${kb(wire.gzip)} gzip, ${kb(wire.identity)} uncompressed`);
    assert.ok(wire.br <= FIRST_SCREEN_WIRE_LIMIT, `first screen is ${wire.br} bytes brotli`);
    assert.ok(wire.gzip <= FIRST_SCREEN_WIRE_LIMIT, `first screen is ${wire.gzip} bytes gzip`);
  });

  it('serves lazy chunks the same way', async () => {
    const entry = assets.find((a) => a.endsWith('.js'));
    const js = (await get(`${stack.baseUrl}${entry}`)).body.toString('utf8');
    // Every page is its own chunk, loaded when opened: the entry names them.
    const lazy = [...js.matchAll(/assets\/[A-Za-z0-9_-]+\.js/g)].map((m) => m[0]).find((a) => !entry.endsWith(a));
    assert.ok(lazy, 'the entry names its lazy page chunks');
    const res = await get(`${stack.baseUrl}/${lazy}`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  });
});
