// The sender checks the URL again when it sends: a URL that passed when it was set but
// now points inside the network is refused, recorded, and never requested.
import http from 'node:http';
import { DataSource } from 'typeorm';
import { WebhookSender } from '../src/webhooks/webhook.sender';
import { makeCourse, orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

async function delivery(url: string): Promise<string> {
  const courseId = await makeCourse(ds);
  const id = `msg_test_${Math.random().toString(36).slice(2)}`;
  await ds.query(`INSERT INTO webhook_deliveries (id, course_id, organization_id, event, url, payload) VALUES ($1, $2, $3, 'course.completed', $4, '{"x":1}')`, [id, courseId, await orgId(ds), url]);
  return id;
}

describe('webhook sender', () => {
  it('refuses a private address at send time and records why', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => { hits++; res.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const id = await delivery(`http://127.0.0.1:${port}/hook`);
      const outcome = await new WebhookSender(systemRepositories(ds).webhooks, []).deliver(id, 1);
      expect(outcome).toBe('refused');
      expect(hits).toBe(0);
      const [d] = await ds.query(`SELECT status, attempts FROM webhook_deliveries WHERE id = $1`, [id]);
      expect(d).toEqual({ status: 'refused', attempts: 1 });
      const [a] = await ds.query(`SELECT error FROM webhook_attempts WHERE delivery_id = $1`, [id]);
      expect(a.error).toMatch(/refused: resolves to a private/);
      // The same URL with the host allow-listed (local development) goes through.
      const ok = await delivery(`http://127.0.0.1:${port}/hook`);
      expect(await new WebhookSender(systemRepositories(ds).webhooks, ['127.0.0.1']).deliver(ok, 1)).toBe('delivered');
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });
});
