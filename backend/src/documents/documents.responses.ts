// Response schemas of a course's source documents.
import { z } from 'zod';
import { AnyJson, DateTime, named, Uuid } from '../openapi/common.schemas';

export const SavedDocumentSchema = named(
  'SavedDocument',
  z.object({
    id: Uuid,
    ordinal: z.number().int(),
    filename: z.string(),
    mimeType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    createdAt: DateTime,
  }),
);

export const DocumentSchema = named(
  'Document',
  SavedDocumentSchema.extend({
    extracted: z.boolean().meta({ description: 'stage 2 extracted its text' }),
    chunks: z.number().int(),
    summary: AnyJson.meta({ description: "stage 3's summary, null before it" }),
  }),
);
