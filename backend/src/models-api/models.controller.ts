// The organization's model price table (per 1M tokens) over the shared catalog: every
// catalog model with the organization's price in force, or none. Everyone reads it; the
// organization's admins and finance edit it, for their organization only — also adding
// a catalog model the organization has no price for yet. Prices are versions with an
// effective date: a change adds a version (from now, or from a later moment), never
// edits one, and each trace names the version it was charged at. Past periods are
// re-priced only through POST /api/reports/reprice. A model with no price in force is
// refused by the gateway before it is called.
import { BadRequestException, Body, ConflictException, Controller, Get, NotFoundException, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { calendarTimestamp } from '../common/dates';
import { readOnly, ZodPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { ModelPriceDetailSchema, ModelPriceSchema } from './models.responses';
import { MODELS_SPEC } from '../repositories/tenant/prices.repository';

const Price = z.number().min(0).max(10_000);
/** What GET /api/models/:id answers besides the prices: ignored when sent back (react-admin's update). */
const MODEL_READ_ONLY = [
  'id',
  'providerModel',
  'displayName',
  'priced',
  'priceVersionId',
  'priceEffectiveFrom',
  'defaultInputPricePer1m',
  'defaultOutputPricePer1m',
  'contextWindow',
  'maxOutputTokens',
  'supportsJsonSchema',
  'supportsJsonMode',
  'active',
  'updatedAt',
  'history',
] as const;

const UpdateModelSchema = z
  .object({
    ...readOnly(MODEL_READ_ONLY),
    inputPricePer1m: Price,
    outputPricePer1m: Price,
    /** when the new price takes effect: now (default) or later; the past is re-priced, not edited */
    effectiveFrom: z.string().datetime({ offset: true, message: 'must be an ISO date-time' }).pipe(calendarTimestamp()).optional(),
  })
  .strict();

export const ModelIdPipe = new ZodPipe(
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/-]+$/, 'is not a model id'),
  'id',
);

/** Clock skew allowed for an `effectiveFrom` meant as "now". */
const PAST_TOLERANCE_MS = 60_000;

@ApiTags('models')
@ApiBearerAuth()
@Controller('models')
export class ModelsController {
  constructor(private readonly scope: TenantScope) {}

  /** The whole catalog, each model with `priced` and the organization's price in force (null: none). */
  @Get()
  @Can('models.read')
  @ApiList(ModelPriceSchema, { summary: "The catalog with the organization's prices in force", spec: MODELS_SPEC })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.prices.pageModels(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('models.read')
  @ApiJson(ModelPriceDetailSchema, { summary: "One model's price in force and its price versions" })
  get(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string) {
    return this.scope.run(user.organizationId, async (repos) => {
      const model = await repos.prices.model(id);
      if (!model) throw new NotFoundException('model not found');
      return { ...model, history: await repos.prices.priceHistory(id) };
    });
  }

  @Put(':id')
  @Can('prices.edit')
  @ApiJson(ModelPriceDetailSchema, { summary: 'Add a price version for a model (from now or a later moment)', errors: [409] })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', ModelIdPipe) id: string,
    @Body(new ZodPipe(UpdateModelSchema)) body: z.infer<typeof UpdateModelSchema>,
  ) {
    if (body.effectiveFrom && Date.parse(body.effectiveFrom) < Date.now() - PAST_TOLERANCE_MS) {
      throw new BadRequestException('effectiveFrom: must not be in the past (a past period is re-priced with POST /api/reports/reprice)');
    }
    await this.scope.run(user.organizationId, async (repos) => {
      if (!(await repos.prices.lockCatalogModel(id))) throw new NotFoundException('model not found in the catalog');
      // The record sent back as it was read (react-admin's update) changes nothing: no new version.
      const current = await repos.prices.model(id);
      if (!body.effectiveFrom && current?.priced && current.inputPricePer1m === body.inputPricePer1m && current.outputPricePer1m === body.outputPricePer1m)
        return;
      const version = await repos.prices.addPriceVersion(id, {
        inputPricePer1m: body.inputPricePer1m,
        outputPricePer1m: body.outputPricePer1m,
        effectiveFrom: body.effectiveFrom ?? null,
        createdBy: user.id,
      });
      if (!version) throw new ConflictException('effectiveFrom: a price version of this model starts at that moment already');
    });
    return this.get(user, id);
  }
}
