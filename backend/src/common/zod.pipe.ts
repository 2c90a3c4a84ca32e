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
  constructor(readonly schema: ZodType<T>, private readonly root = '') {}

  transform(value: unknown): T {
    const bad = findBadText(value, this.root);
    if (bad) throw new BadRequestException(bad);
    const parsed = this.schema.safeParse(value === undefined ? {} : value);
    if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error, this.root || (value === null || typeof value !== 'object' ? 'body' : '')));
    return parsed.data;
  }
}

export const UuidSchema = z.string().uuid({ message: 'must be a UUID' });

/** `@Param('id', UuidPipe)`: a malformed id is a 400, never a database error. */
export const UuidPipe = new ZodPipe(UuidSchema, 'id');
