// The shared model catalog: the models every organization may price, with their
// provider name, context window, maximum output tokens, structured-output (json_schema)
// and JSON-mode support, the output-limit parameter it takes (max_tokens or
// max_completion_tokens), whether it streams, and default prices (what a new organization's table starts
// from). Everyone reads it; only the platform's operators change it — the admins of the
// operating organization (`organizations.is_platform`). PUT of an id that is not in the
// catalog adds the model; no organization has a price for it until its finance adds one
// (PUT /api/models/:id), and until then its calls are refused.
import { BadRequestException, Body, ConflictException, Controller, Get, NotFoundException, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AuthUser, Can, CurrentUser } from '../auth/access.decorators';
import { readOnly, ZodPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ModelIdPipe } from './models.controller';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { CatalogModelSchema } from './models.responses';
import { CATALOG_SPEC } from '../repositories/tenant/catalog.repository';

const Price = z.number().min(0).max(10_000);
const CatalogSchema = z
  .object({
    ...readOnly(['id', 'updatedAt']),
    providerModel: z.string().min(1).max(200).optional(),
    displayName: z.string().min(1).max(200).optional(),
    contextWindow: z.number().int().min(1).max(100_000_000).optional(),
    maxOutputTokens: z.number().int().min(1).max(10_000_000).optional(),
    supportsJsonSchema: z.boolean().optional(),
    supportsJsonMode: z.boolean().optional(),
    tokenLimitParam: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    supportsStreaming: z.boolean().optional(),
    defaultInputPricePer1m: Price.optional(),
    defaultOutputPricePer1m: Price.optional(),
    active: z.boolean().optional(),
  })
  .strict();
type CatalogBody = z.infer<typeof CatalogSchema>;

/** A new catalog model (react-admin's create): its id and what a new model needs. */
const NewCatalogSchema = CatalogSchema.extend({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/-]+$/, 'is not a model id'),
  contextWindow: z.number().int().min(1).max(100_000_000),
  defaultInputPricePer1m: Price,
  defaultOutputPricePer1m: Price,
}).strict();
type NewCatalogBody = z.infer<typeof NewCatalogSchema>;

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog')
export class CatalogController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('models.read')
  @ApiList(CatalogModelSchema, { summary: 'The shared model catalog', spec: CATALOG_SPEC })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.catalog.pageCatalog(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('models.read')
  @ApiJson(CatalogModelSchema, { summary: 'One catalog model' })
  async get(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string) {
    const model = await this.scope.run(user.organizationId, (repos) => repos.catalog.catalogModel(id));
    if (!model) throw new NotFoundException('model not found in the catalog');
    return model;
  }

  /** Adds a model to the catalog; one with that id already is a 409 (PUT /api/catalog/:id changes it). */
  @Post()
  @Can('catalog.edit')
  @ApiJson(CatalogModelSchema, { summary: 'Add a model to the shared catalog (platform admins; 409 when the id exists)', errors: [409] })
  async create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(NewCatalogSchema)) body: NewCatalogBody) {
    return this.scope.run(user.organizationId, async (repos) => {
      const added = await repos.catalog.addCatalogModel(body.id, {
        ...this.edit(user, body),
        contextWindow: body.contextWindow,
        defaultInputPricePer1m: body.defaultInputPricePer1m,
        defaultOutputPricePer1m: body.defaultOutputPricePer1m,
      });
      if (!added) throw new ConflictException(`id: the catalog has a model "${body.id}" already (PUT /api/catalog/:id changes it)`);
      return (await repos.catalog.catalogModel(body.id))!;
    });
  }

  /** Changes a catalog model, or adds it (then contextWindow and the default prices are required). */
  @Put(':id')
  @Can('catalog.edit')
  @ApiJson(CatalogModelSchema, { summary: 'Change or add a catalog model (platform admins)' })
  async put(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string, @Body(new ZodPipe(CatalogSchema)) body: CatalogBody) {
    const edit = this.edit(user, body);
    return this.scope.run(user.organizationId, async (repos) => {
      if (!(await repos.catalog.updateCatalogModel(id, edit))) {
        for (const field of ['contextWindow', 'defaultInputPricePer1m', 'defaultOutputPricePer1m'] as const) {
          if (edit[field] === null) throw new BadRequestException(`${field}: is required for a new model`);
        }
        await repos.catalog.addCatalogModel(
          id,
          edit as typeof edit & { contextWindow: number; defaultInputPricePer1m: number; defaultOutputPricePer1m: number },
        );
      }
      return (await repos.catalog.catalogModel(id))!;
    });
  }

  private edit(user: AuthUser, body: CatalogBody) {
    return {
      providerModel: body.providerModel ?? null,
      displayName: body.displayName ?? null,
      contextWindow: body.contextWindow ?? null,
      maxOutputTokens: body.maxOutputTokens ?? null,
      supportsJsonSchema: body.supportsJsonSchema ?? null,
      supportsJsonMode: body.supportsJsonMode ?? null,
      tokenLimitParam: body.tokenLimitParam ?? null,
      supportsStreaming: body.supportsStreaming ?? null,
      defaultInputPricePer1m: body.defaultInputPricePer1m ?? null,
      defaultOutputPricePer1m: body.defaultOutputPricePer1m ?? null,
      active: body.active ?? null,
      updatedBy: user.id,
    };
  }
}
