// Request and response schemas of the organization's webhook signing secret: reading it
// and rotating it with an overlap during which the replaced secret keeps signing too.
import { z } from 'zod';

/** At most a week of overlap: long enough for any receiver's deploy, short enough to end a leak. */
export const MAX_OVERLAP_MINUTES = 7 * 24 * 60;

export const RotateWebhookSecretSchema = z
  .object({
    /** how long the replaced secret keeps signing beside the new one (0: not at all); default a day */
    overlapMinutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(0, 'must not be negative')
      .max(MAX_OVERLAP_MINUTES, `must be at most ${MAX_OVERLAP_MINUTES} (a week)`)
      .default(24 * 60),
  })
  .strict();
export type RotateWebhookSecretDto = z.infer<typeof RotateWebhookSecretSchema>;

/** GET /api/organization/webhook-secret and POST …/webhook-secret/rotate answer this. */
export const WebhookSecretResponseSchema = z.object({
  /** the secret deliveries are signed with ("whsec_" + base64 key, Standard Webhooks) */
  webhookSecret: z.string().regex(/^whsec_/),
  /** until when the replaced secret signs too (a second signature in webhook-signature); null: no overlap running */
  previousSecretUntil: z.string().datetime({ offset: true }).nullable(),
  /** when the secret was last rotated; null: never */
  rotatedAt: z.string().datetime({ offset: true }).nullable(),
});
export type WebhookSecretResponse = z.infer<typeof WebhookSecretResponseSchema>;
