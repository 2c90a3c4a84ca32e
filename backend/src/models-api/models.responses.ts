// Response schemas of the organization's price table and the shared catalog.
import { z } from 'zod';
import { DateTime, named, Usd, Uuid } from '../openapi/common.schemas';

export const CatalogModelSchema = named(
  'CatalogModel',
  z.object({
    id: z.string(),
    providerModel: z.string(),
    displayName: z.string(),
    contextWindow: z.number().int(),
    maxOutputTokens: z.number().int(),
    supportsJsonSchema: z.boolean(),
    supportsJsonMode: z.boolean(),
    tokenLimitParam: z.enum(['max_tokens', 'max_completion_tokens']).meta({ description: 'the request field that caps the answer' }),
    supportsStreaming: z.boolean(),
    defaultInputPricePer1m: z.number(),
    defaultOutputPricePer1m: z.number(),
    active: z.boolean(),
    updatedAt: DateTime,
  }),
);

export const ModelPriceSchema = named(
  'ModelPrice',
  z.object({
    id: z.string(),
    providerModel: z.string(),
    displayName: z.string(),
    inputPricePer1m: z.number().nullable().meta({ description: "the organization's price in force per 1M tokens; null: none" }),
    outputPricePer1m: z.number().nullable(),
    priced: z.boolean().meta({ description: 'the organization has a price in force (calls are refused otherwise)' }),
    priceVersionId: z.string().nullable(),
    priceEffectiveFrom: DateTime.nullable(),
    defaultInputPricePer1m: z.number(),
    defaultOutputPricePer1m: z.number(),
    contextWindow: z.number().int(),
    maxOutputTokens: z.number().int(),
    supportsJsonSchema: z.boolean(),
    supportsJsonMode: z.boolean(),
    active: z.boolean(),
    updatedAt: DateTime,
  }),
);

export const PriceVersionSchema = named(
  'PriceVersion',
  z.object({
    id: z.string(),
    inputPricePer1m: Usd,
    outputPricePer1m: Usd,
    effectiveFrom: DateTime,
    createdAt: DateTime,
    createdBy: Uuid.nullable(),
    scheduled: z.boolean().meta({ description: 'takes effect later' }),
  }),
);

export const ModelPriceDetailSchema = named('ModelPriceDetail', ModelPriceSchema.extend({ history: z.array(PriceVersionSchema) }));
