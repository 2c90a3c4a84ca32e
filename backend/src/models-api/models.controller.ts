// The model price table (per 1M tokens). Everyone reads it; admins and finance edit it.
// Prices are versions with an effective date: a change adds a version (from now, or
// from a later moment), never edits one, and each trace names the version it was
// charged at. Past periods are re-priced only through POST /api/reports/reprice.
import { BadRequestException, Body, ConflictException, Controller, Get, NotFoundException, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';

/** The version in force now, per model. */
const CURRENT = `LEFT JOIN LATERAL (
    SELECT p.id, p.input_price_per_1m, p.output_price_per_1m, p.effective_from FROM llm_model_prices p
     WHERE p.model_id = m.id AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1) cur ON true`;

const COLUMNS = `m.id, m.provider_model AS "providerModel", m.display_name AS "displayName",
  coalesce(cur.input_price_per_1m, m.input_price_per_1m)::float8 AS "inputPricePer1m",
  coalesce(cur.output_price_per_1m, m.output_price_per_1m)::float8 AS "outputPricePer1m",
  cur.id::text AS "priceVersionId", cur.effective_from AS "priceEffectiveFrom",
  m.context_window AS "contextWindow", m.active, m.updated_at AS "updatedAt"`;

const HISTORY = `SELECT p.id::text AS id, p.input_price_per_1m::text AS "inputPricePer1m", p.output_price_per_1m::text AS "outputPricePer1m",
    p.effective_from AS "effectiveFrom", p.created_at AS "createdAt", u.email AS "createdBy",
    (p.effective_from > now()) AS scheduled
  FROM llm_model_prices p LEFT JOIN users u ON u.id = p.created_by
  WHERE p.model_id = $1 ORDER BY p.effective_from DESC`;

const Price = z.number().min(0).max(10_000);
const UpdateModelSchema = z.object({
  id: z.string().optional(),
  inputPricePer1m: Price,
  outputPricePer1m: Price,
  /** when the new price takes effect: now (default) or later; the past is re-priced, not edited */
  effectiveFrom: z.string().datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
  active: z.boolean().optional(),
  displayName: z.string().min(1).max(200).optional(),
}).strict();

const ModelIdPipe = new ZodPipe(z.string().min(1).max(200).regex(/^[A-Za-z0-9._:/-]+$/, 'is not a model id'), 'id');

/** Clock skew allowed for an `effectiveFrom` meant as "now". */
const PAST_TOLERANCE_MS = 60_000;

@ApiTags('models')
@ApiBearerAuth()
@Controller('models')
export class ModelsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@Res({ passthrough: true }) res: FastifyReply) {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM llm_models m ${CURRENT} ORDER BY m.id`);
    res.header('Content-Range', `models 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
    return rows;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  async get(@Param('id', ModelIdPipe) id: string) {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM llm_models m ${CURRENT} WHERE m.id = $1`, [id]);
    if (!rows[0]) throw new NotFoundException('model not found');
    return { ...rows[0], history: await this.ds.query(HISTORY, [id]) };
  }

  @Put(':id')
  @Allow('admin', 'finance')
  async update(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string, @Body(new ZodPipe(UpdateModelSchema)) body: z.infer<typeof UpdateModelSchema>) {
    if (body.effectiveFrom && Date.parse(body.effectiveFrom) < Date.now() - PAST_TOLERANCE_MS) {
      throw new BadRequestException('effectiveFrom: must not be in the past (a past period is re-priced with POST /api/reports/reprice)');
    }
    await this.ds.transaction(async (em) => {
      const found = await em.query(`SELECT id FROM llm_models WHERE id = $1 FOR UPDATE`, [id]);
      if (!found[0]) throw new NotFoundException('model not found');
      const inserted = await em.query(
        `INSERT INTO llm_model_prices (model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
         VALUES ($1, $2, $3, greatest(coalesce($4::timestamptz, now()), now()), $5)
         ON CONFLICT (model_id, effective_from) DO NOTHING RETURNING effective_from <= now() AS "inForce"`,
        [id, body.inputPricePer1m, body.outputPricePer1m, body.effectiveFrom ?? null, user.id],
      );
      if (!inserted[0]) throw new ConflictException('effectiveFrom: a price version of this model starts at that moment already');
      // llm_models keeps the price in force for readers that predate versions.
      await em.query(
        `UPDATE llm_models SET
           input_price_per_1m = CASE WHEN $6 THEN $2 ELSE input_price_per_1m END,
           output_price_per_1m = CASE WHEN $6 THEN $3 ELSE output_price_per_1m END,
           active = coalesce($4, active), display_name = coalesce($5, display_name), updated_by = $7, updated_at = now()
         WHERE id = $1`,
        [id, body.inputPricePer1m, body.outputPricePer1m, body.active ?? null, body.displayName ?? null, inserted[0].inForce, user.id],
      );
    });
    return this.get(id);
  }
}
