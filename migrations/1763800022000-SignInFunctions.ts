// The doors sign-in needs before the organization is known. A request acts as mc_app for
// the organization of its verified token (row-level security, 1763800012000); signing in
// by e-mail, trading a refresh token, signing out with one and accepting an invitation
// come before any token, so mc_app with no organization calls these SECURITY DEFINER
// functions instead. Each runs as the schema's owner with a fixed search_path, does one
// thing, and hands back exactly the columns the caller needs — never a table.
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns of a signed-in user, as every function below returns them. */
const USER_COLUMNS = `id uuid, email text, name text, role text, organization_id uuid, organization_name text, token_version int`;

const FUNCTIONS: Record<string, string> = {
  // The user behind an e-mail, with what the password check and the session need.
  'mc_sign_in_lookup(text)': `
    CREATE FUNCTION mc_sign_in_lookup(p_email text)
    RETURNS TABLE (${USER_COLUMNS}, disabled_at timestamptz, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT u.id, u.email, u.name, u.role, u.organization_id, o.name, u.token_version, u.disabled_at, u.password_hash
        FROM users u JOIN organizations o ON o.id = u.organization_id
       WHERE u.email = p_email
    $$`,
  // Spends a refresh token. outcome: 'rotated' (with the user, whose sign-in goes on in
  // the same family), 'reused' (a spent token again: the family is revoked), 'ended' (the
  // user was disabled or their token version moved: the family is revoked) or 'invalid'.
  'mc_refresh_rotate(text)': `
    CREATE FUNCTION mc_refresh_rotate(p_token_hash text)
    RETURNS TABLE (outcome text, family uuid, ${USER_COLUMNS})
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    #variable_conflict use_column
    DECLARE
      t record;
      u record;
    BEGIN
      UPDATE refresh_tokens r SET used_at = now()
       WHERE r.token_hash = p_token_hash AND r.used_at IS NULL AND r.revoked_at IS NULL AND r.expires_at > now()
      RETURNING r.user_id, r.family, r.token_version INTO t;
      IF NOT FOUND THEN
        SELECT r.family INTO t FROM refresh_tokens r WHERE r.token_hash = p_token_hash AND r.used_at IS NOT NULL;
        IF NOT FOUND THEN
          RETURN QUERY SELECT 'invalid'::text, NULL::uuid, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::uuid, NULL::text, NULL::int;
          RETURN;
        END IF;
        UPDATE refresh_tokens r SET revoked_at = now() WHERE r.family = t.family AND r.revoked_at IS NULL;
        RETURN QUERY SELECT 'reused'::text, t.family, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::uuid, NULL::text, NULL::int;
        RETURN;
      END IF;
      SELECT x.id, x.email, x.name, x.role, x.organization_id, o.name AS organization_name, x.token_version, x.disabled_at INTO u
        FROM users x JOIN organizations o ON o.id = x.organization_id WHERE x.id = t.user_id;
      IF NOT FOUND OR u.disabled_at IS NOT NULL OR u.token_version <> t.token_version THEN
        UPDATE refresh_tokens r SET revoked_at = now() WHERE r.family = t.family AND r.revoked_at IS NULL;
        RETURN QUERY SELECT 'ended'::text, t.family, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::uuid, NULL::text, NULL::int;
        RETURN;
      END IF;
      RETURN QUERY SELECT 'rotated'::text, t.family, u.id, u.email, u.name, u.role, u.organization_id, u.organization_name, u.token_version;
    END $$`,
  // Ends the sign-in (the token family) a refresh token belongs to.
  'mc_sign_out(text)': `
    CREATE FUNCTION mc_sign_out(p_token_hash text) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      UPDATE refresh_tokens SET revoked_at = now()
       WHERE revoked_at IS NULL AND family = (SELECT r.family FROM refresh_tokens r WHERE r.token_hash = p_token_hash)
    $$`,
  // Sets the password of the user an open invitation belongs to; no row when there is none.
  'mc_accept_invite(text,text)': `
    CREATE FUNCTION mc_accept_invite(p_invite_hash text, p_password_hash text)
    RETURNS TABLE (${USER_COLUMNS})
    LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
      WITH accepted AS (
        UPDATE users SET password_hash = p_password_hash, invite_token_hash = NULL, invite_expires_at = NULL
         WHERE invite_token_hash = p_invite_hash AND invite_expires_at > now() AND disabled_at IS NULL
        RETURNING id, email, name, role, organization_id, token_version
      )
      SELECT a.id, a.email, a.name, a.role, a.organization_id, o.name, a.token_version
        FROM accepted a JOIN organizations o ON o.id = a.organization_id
    $$`,
};

export class SignInFunctions1763800022000 implements MigrationInterface {
  name = 'SignInFunctions1763800022000';

  async up(q: QueryRunner): Promise<void> {
    for (const [signature, create] of Object.entries(FUNCTIONS)) {
      await q.query(create);
      // Functions are executable by PUBLIC by default: only the application role may call these.
      await q.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${signature} TO mc_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const signature of Object.keys(FUNCTIONS).reverse()) await q.query(`DROP FUNCTION ${signature}`);
  }
}
