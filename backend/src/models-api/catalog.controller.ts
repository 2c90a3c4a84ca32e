// The shared model catalog: the models every organization may price, with their
// provider name, context window, maximum output tokens, structured-output (json_schema)
// and JSON-mode support, the output-limit parameter it takes (max_tokens or
// max_completion_tokens), whether it streams, and default prices (what a new organization's table starts
// from). Everyone reads it; only the platform's operators change it — the admins of the
// operating organization (`organizations.is_platform`). PUT of an id that is not in the
// catalog adds the model; no organization has a price for it until its finance adds one
// (PUT /api/models/:id), and until then its calls are refused.
import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AuthUser, Can, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ModelIdPipe } from './models.controller';

const Price = z.number().min(0).max(10_000);
const CatalogSchema = z.object({
  id: z.string().optional(),
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
}).strict();
type CatalogBody = z.infer<typeof CatalogSchema>;

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog')
export class CatalogController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('models.read')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.catalog.pageCatalog(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('models.read')
  async get(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string) {
    const model = await this.scope.run(user.organizationId, (repos) => repos.catalog.catalogModel(id));
    if (!model) throw new NotFoundException('model not found in the catalog');
    return model;
  }

  /** Changes a catalog model, or adds it (then contextWindow and the default prices are required). */
  @Put(':id')
  @Can('catalog.edit')
  async put(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string, @Body(new ZodPipe(CatalogSchema)) body: CatalogBody) {
    const edit = {
      providerModel: body.providerModel ?? null, displayName: body.displayName ?? null,
      contextWindow: body.contextWindow ?? null, maxOutputTokens: body.maxOutputTokens ?? null,
      supportsJsonSchema: body.supportsJsonSchema ?? null, supportsJsonMode: body.supportsJsonMode ?? null,
      tokenLimitParam: body.tokenLimitParam ?? null, supportsStreaming: body.supportsStreaming ?? null,
      defaultInputPricePer1m: body.defaultInputPricePer1m ?? null, defaultOutputPricePer1m: body.defaultOutputPricePer1m ?? null,
      active: body.active ?? null, updatedBy: user.id,
    };
    return this.scope.run(user.organizationId, async (repos) => {
      if (!(await repos.catalog.updateCatalogModel(id, edit))) {
        for (const field of ['contextWindow', 'defaultInputPricePer1m', 'defaultOutputPricePer1m'] as const) {
          if (edit[field] === null) throw new BadRequestException(`${field}: is required for a new model`);
        }
        await repos.catalog.addCatalogModel(id, edit as typeof edit & { contextWindow: number; defaultInputPricePer1m: number; defaultOutputPricePer1m: number });
      }
      return (await repos.catalog.catalogModel(id))!;
    });
  }
}
