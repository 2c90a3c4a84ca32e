// Validates a request part with a Zod schema; a failure is a 400 naming the field.
import { BadRequestException, PipeTransform } from '@nestjs/common';
import { z, ZodType } from 'zod';
import { findBadText } from './text';

export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = [root, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    readonly schema: ZodType<T>,
    private readonly root = '',
  ) {}

  transform(value: unknown): T {
    const bad = findBadText(value, this.root);
    if (bad) throw new BadRequestException(bad);
    const parsed = this.schema.safeParse(value === undefined ? {} : value);
    if (!parsed.success)
      throw new BadRequestException(describeZodError(parsed.error, this.root || (value === null || typeof value !== 'object' ? 'body' : '')));
    return parsed.data;
  }
}

export const UuidSchema = z.string().uuid({ message: 'must be a UUID' });

/** `@Param('id', UuidPipe)`: a malformed id is a 400, never a database error. */
export const UuidPipe = new ZodPipe(UuidSchema, 'id');

/**
 * Fields of a response that react-admin's `update` sends back with the whole record
 * (ra-data-simple-rest PUTs every field it read): accepted and ignored, so that a PUT
 * of a record as it was read succeeds. Keys that are neither editable nor listed here
 * are still refused by `.strict()`, so a misspelt field is a 400, not a silent no-op.
 */
export function readOnly<K extends string>(keys: readonly K[]): Record<K, z.ZodOptional<z.ZodUnknown>> {
  return Object.fromEntries(keys.map((k) => [k, z.unknown().optional().describe('read-only: ignored on update')])) as Record<K, z.ZodOptional<z.ZodUnknown>>;
}
