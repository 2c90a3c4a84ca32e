// `npm run bootstrap`: a first day in production. Migrates, then creates — once — the
// operating (platform) organization, its first admin and the model catalog
// (catalog/models.json). The admin's password is read from BOOTSTRAP_ADMIN_PASSWORD_FILE
// or generated and printed once; either way it must be changed at first sign-in. A weak
// password is refused before anything is written. Running it again changes nothing and
// says so; it never changes an existing user's password or an existing model's prices.
import * as bcrypt from 'bcryptjs';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BCRYPT_ROUNDS } from '../auth/auth.service';
import { passwordProblem } from '../auth/password-policy';
import { OPERATOR_ROLES } from '../auth/permissions';
import { loadConfig } from '../config/app-config';
import { BootstrapConfig, loadBootstrapConfig } from '../config/bootstrap-config';
import { createDataSource, migrate } from '../db/data-source';
import { DEFAULT_MODELS } from '../llm/model-catalog';
import { BootstrapSystemRepository } from '../repositories/system/bootstrap.system-repository';
import { SystemDb } from '../repositories/system/system-db';

/** A refusal: its message is the one line the operator reads; the exit code is 1. */
export class BootstrapRefused extends Error {}

export interface BootstrapOutcome {
  changed: boolean;
  lines: string[];
  /** the generated password, to print once (only when the admin was created without a file) */
  generatedPassword?: string;
}

/** The admin's password from the secret file (one trailing newline dropped), checked. */
export function readPasswordFile(path: string, email: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new BootstrapRefused(`BOOTSTRAP_ADMIN_PASSWORD_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const password = text.replace(/\r?\n$/, '');
  const problem = passwordProblem(password, email);
  if (problem) throw new BootstrapRefused(`refused: the password in BOOTSTRAP_ADMIN_PASSWORD_FILE (${path}) ${problem}; nothing was changed`);
  return password;
}

export async function runBootstrap(repo: BootstrapSystemRepository, config: BootstrapConfig, filePassword: string | undefined): Promise<BootstrapOutcome> {
  const { slug, name } = config.organization;
  const { email } = config.admin;
  // Hashing is slow: done once, before the transaction (which may run again on a conflict).
  const generated = filePassword === undefined ? randomBytes(18).toString('base64url') : undefined;
  const passwordHash = await bcrypt.hash(filePassword ?? generated!, BCRYPT_ROUNDS);
  return repo.run(async (tx) => {
    const lines: string[] = [];
    let changed = false;

    const created = await tx.insertOrganization(slug, name);
    const org = await tx.organizationBySlug(slug);
    if (!org)
      throw new BootstrapRefused(
        `refused: an organization named "${name}" already exists with another slug; set PLATFORM_ORGANIZATION to its slug or PLATFORM_ORGANIZATION_NAME to another name`,
      );
    const others = await tx.otherPlatformOrganizations(org.id);
    if (others.length)
      throw new BootstrapRefused(`refused: organization "${others[0]}" is already the platform organization; set PLATFORM_ORGANIZATION=${others[0]}`);
    if (created) {
      changed = true;
      lines.push(`platform organization "${org.name}" (${org.slug}): created`);
    } else if (!org.is_platform) {
      await tx.markPlatform(org.id);
      changed = true;
      lines.push(`platform organization "${org.name}" (${org.slug}): existed, now marked as the platform organization`);
    } else {
      lines.push(`platform organization "${org.name}" (${org.slug}): already there`);
    }

    let generatedPassword: string | undefined;
    const existing = await tx.userByEmail(email);
    if (existing && existing.organization_id !== org.id) {
      throw new BootstrapRefused(`refused: ${email} is a user of another organization; set BOOTSTRAP_ADMIN_EMAIL to another address`);
    }
    if (existing && (existing.role !== 'admin' || existing.disabled)) {
      throw new BootstrapRefused(
        `refused: ${email} exists in "${org.slug}" as ${existing.disabled ? 'a disabled user' : `role ${existing.role}`}; the bootstrap does not change users — choose another BOOTSTRAP_ADMIN_EMAIL`,
      );
    }
    if (existing) {
      lines.push(`admin ${email}: already there (password unchanged)`);
    } else {
      await tx.insertAdmin({ organizationId: org.id, email, name: config.admin.name, role: OPERATOR_ROLES[0], passwordHash });
      changed = true;
      generatedPassword = generated;
      lines.push(`admin ${email}: created; the password must be changed at first sign-in`);
    }

    let added = 0;
    for (const m of DEFAULT_MODELS) if (await tx.insertModel(m)) added++;
    if (added) changed = true;
    lines.push(`model catalog: ${added} added, ${DEFAULT_MODELS.length - added} already there (catalog/models.json)`);

    return { changed, lines, generatedPassword };
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const bootstrap = loadBootstrapConfig();
  const filePassword = bootstrap.admin.passwordFile ? readPasswordFile(bootstrap.admin.passwordFile, bootstrap.admin.email) : undefined;
  const ds = createDataSource(config.databaseUrl, { poolSize: 2, name: 'mission-control-bootstrap' });
  await ds.initialize();
  try {
    const ran = await migrate(ds);
    if (ran.length) console.log(`applied ${ran.length} migration(s)`);
    const outcome = await runBootstrap(new BootstrapSystemRepository(new SystemDb(ds)), bootstrap, filePassword);
    for (const line of outcome.lines) console.log(line);
    if (outcome.generatedPassword) {
      console.log(`generated password for ${bootstrap.admin.email} (shown only now; it must be changed at first sign-in): ${outcome.generatedPassword}`);
    }
    console.log(outcome.changed ? 'bootstrap done' : 'nothing to do: the deployment was already bootstrapped, nothing changed');
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
