// Response schemas of sign-in and the caller's own profile.
import { z } from 'zod';
import { named, Uuid } from '../openapi/common.schemas';
import { ACTIONS, ROLES } from './permissions';

export const RoleSchema = named('Role', z.enum(ROLES));
export const ActionSchema = named('Action', z.enum(ACTIONS as [string, ...string[]]));
export const LanguageSchema = named('Language', z.enum(['en', 'ru']));

export const SessionSchema = named(
  'Session',
  z.object({
    passwordChangeRequired: z.boolean().optional().meta({ description: 'the user must set a new password (POST /api/auth/password) before anything else' }),
    accessToken: z.string().meta({ description: 'the bearer token of every other call' }),
    expiresIn: z.number().int().meta({ description: 'seconds the access token lasts' }),
    refreshToken: z.string().meta({ description: 'for POST /api/auth/refresh, once' }),
    refreshExpiresIn: z.number().int(),
    user: z.object({ id: Uuid, email: z.string(), name: z.string(), role: RoleSchema, organizationId: Uuid, organizationName: z.string() }),
  }),
);

/** Who the caller is and every action the permission table allows them. */
export const MeSchema = named(
  'Me',
  z.object({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    organizationId: Uuid,
    operator: z.boolean().meta({ description: 'an admin of the platform organization' }),
    language: LanguageSchema.nullable().meta({ description: "the caller's own language; null: the organization's default" }),
    organizationLanguage: LanguageSchema,
    actions: z.array(ActionSchema),
  }),
);
