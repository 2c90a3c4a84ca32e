// What `npm run bootstrap` creates, read from the environment (the process's other
// settings are in app-config.ts). The admin's password comes from a secret file, or is
// generated and printed once.
import { z } from 'zod';
import { ConfigError } from './app-config';

const BootstrapEnvSchema = z.object({
  PLATFORM_ORGANIZATION: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/, 'must be a slug: lower-case letters, digits and dashes, at most 60')
    .default('platform'),
  PLATFORM_ORGANIZATION_NAME: z.string().trim().min(1).max(200).default('Platform'),
  BOOTSTRAP_ADMIN_EMAIL: z
    .string({ error: 'must be set: the e-mail of the first admin' })
    .trim()
    .toLowerCase()
    .pipe(z.string().email('must be an e-mail address').max(320)),
  BOOTSTRAP_ADMIN_NAME: z.string().trim().min(1).max(200).default('Administrator'),
  BOOTSTRAP_ADMIN_PASSWORD_FILE: z.string().min(1).optional(),
});

export interface BootstrapConfig {
  organization: { slug: string; name: string };
  admin: { email: string; name: string; passwordFile?: string };
}

export function loadBootstrapConfig(env: NodeJS.ProcessEnv = process.env): BootstrapConfig {
  // An empty variable (compose passes `VAR:` through as empty) counts as unset.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = BootstrapEnvSchema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    organization: { slug: e.PLATFORM_ORGANIZATION, name: e.PLATFORM_ORGANIZATION_NAME },
    admin: { email: e.BOOTSTRAP_ADMIN_EMAIL, name: e.BOOTSTRAP_ADMIN_NAME, passwordFile: e.BOOTSTRAP_ADMIN_PASSWORD_FILE },
  };
}
