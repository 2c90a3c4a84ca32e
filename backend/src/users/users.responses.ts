// Response schemas of user management.
import { z } from 'zod';
import { RoleSchema, LanguageSchema } from '../auth/auth.responses';
import { DateTime, named, Uuid } from '../openapi/common.schemas';

export const UserSchema = named(
  'User',
  z.object({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    disabled: z.boolean(),
    disabledAt: DateTime.nullable(),
    invited: z.boolean().meta({ description: 'invited and not yet accepted' }),
    inviteExpiresAt: DateTime.nullable(),
    lastLoginAt: DateTime.nullable(),
    createdAt: DateTime,
    language: LanguageSchema.nullable().meta({ description: "the user's own language; null: the organization's default" }),
  }),
);

export const InvitedUserSchema = named(
  'InvitedUser',
  UserSchema.extend({
    inviteToken: z.string().meta({ description: 'shown once: send it to the user (POST /api/auth/accept-invite)' }),
    inviteExpiresInDays: z.number().int(),
  }),
);

export const UpdatedUserSchema = named(
  'UpdatedUser',
  UserSchema.extend({
    previous: z.object({ role: RoleSchema, disabled: z.boolean() }),
  }),
);

export const AuditEntrySchema = named(
  'AuditEntry',
  z.object({
    id: z.string(),
    actorId: Uuid.nullable(),
    actorEmail: z.string().nullable(),
    actorRole: z.string().nullable(),
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    createdAt: DateTime,
  }),
);
