// The sign-in doors of migration 1763800022000, called as mc_app with no organization:
// they hand out exactly one user, spend and revoke refresh tokens, accept invitations;
// the per-request user check sees a user only through their own organization.
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SignInRepository } from '../src/repositories/tenant/sign-in.repository';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { orgId, testDataSource } from './helpers';

let ds: DataSource;
let tenantDb: TenantDb;
let signIn: SignInRepository;
let scope: TenantScope;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  ds = await testDataSource();
  tenantDb = new TenantDb(ds);
  signIn = new SignInRepository(tenantDb, ds);
  scope = new TenantScope(tenantDb);
});
afterAll(async () => { await ds.destroy(); });

async function issue(email: string): Promise<{ token: string; family: string; userId: string; org: string }> {
  const user = (await signIn.lookupByEmail(email))!;
  const token = randomUUID() + randomUUID();
  const family = randomUUID();
  await scope.run(user.organization_id, (repos) =>
    repos.users.insertRefreshToken({ userId: user.id, family, tokenHash: sha(token), tokenVersion: user.token_version, ttlSeconds: 60 }));
  return { token, family, userId: user.id, org: user.organization_id };
}

describe('sign-in functions', () => {
  it('looks a user up by e-mail across organizations, and mc_app alone sees no users', async () => {
    const row = await signIn.lookupByEmail('ops@acme.test');
    expect(row).toMatchObject({ email: 'ops@acme.test', role: 'ops', organization_id: await orgId(ds, 'acme'), disabled_at: null });
    expect(row!.password_hash).toMatch(/^\$2/);
    expect(row!.organization_name).toBeTruthy();
    expect(await signIn.lookupByEmail('nobody@acme.test')).toBeUndefined();
    const visible = await tenantDb.runAnonymous((db) => db.query(`SELECT count(*)::int AS n FROM users`));
    expect(visible[0].n).toBe(0);
  });

  it('rotates a refresh token once; the second use revokes the family', async () => {
    const { token, family } = await issue('ops@acme.test');
    const first = await signIn.rotateRefreshToken(sha(token));
    expect(first).toMatchObject({ outcome: 'rotated', family, user: { email: 'ops@acme.test' } });
    expect((await signIn.rotateRefreshToken(sha(token))).outcome).toBe('reused');
    const [{ open }] = await ds.query(`SELECT count(*)::int AS open FROM refresh_tokens WHERE family = $1 AND revoked_at IS NULL`, [family]);
    expect(open).toBe(0);
    expect((await signIn.rotateRefreshToken(sha('never issued'))).outcome).toBe('invalid');
  });

  it('ends the family when the token version moved, and signs out by token', async () => {
    const a = await issue('reviewer@acme.test');
    await ds.query(`UPDATE users SET token_version = token_version + 1 WHERE id = $1`, [a.userId]);
    expect((await signIn.rotateRefreshToken(sha(a.token))).outcome).toBe('ended');
    const b = await issue('reviewer@acme.test');
    await signIn.revokeRefreshFamily(sha(b.token));
    expect((await signIn.rotateRefreshToken(sha(b.token))).outcome).toBe('invalid');
  });

  it('accepts an open invitation once', async () => {
    const org = await orgId(ds, 'acme');
    const email = `invited-${randomUUID().slice(0, 8)}@acme.test`;
    await ds.query(`INSERT INTO users (organization_id, email, name, role, invite_token_hash, invite_expires_at) VALUES ($1, $2, 'Invited', 'finance', $3, now() + interval '1 day')`,
      [org, email, sha('invite-token')]);
    const row = await signIn.acceptInvite(sha('invite-token'), '$2b$10$somehash');
    expect(row).toMatchObject({ email, role: 'finance', organization_id: org });
    expect(await signIn.acceptInvite(sha('invite-token'), '$2b$10$somehash')).toBeUndefined();
  });

  it('checks a user in one round trip, through their own organization only', async () => {
    const ops = (await signIn.lookupByEmail('ops@acme.test'))!;
    const access = await signIn.userAccess(ops.organization_id, ops.id);
    expect(access).toMatchObject({ id: ops.id, role: 'ops', organization_id: ops.organization_id, token_version: ops.token_version, disabled_at: null });
    expect(await signIn.userAccess(await orgId(ds, 'globex'), ops.id)).toBeNull();
    expect(await signIn.userAccess(ops.organization_id, "x' OR true --")).toBeNull();
    // The role and the organization ended with that statement: the pool's connections are the owner's again.
    const [who] = await ds.query(`SELECT current_user AS u, current_setting('app.org_id', true) AS org`);
    expect(who.u).not.toBe('mc_app');
    expect(who.org ?? '').toBe('');
  });
});
