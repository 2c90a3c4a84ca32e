// Response schema of a Bull Board session.
import { z } from 'zod';
import { named } from '../openapi/common.schemas';

export const BoardSessionSchema = named(
  'BoardSession',
  z.object({
    url: z.string().meta({ description: 'where the board is (the cookie is set for it)' }),
    expiresIn: z.number().int(),
    allowed: z.literal(true),
  }),
);
