// The model price table (per 1M tokens). Everyone reads it; admins and finance edit it.
// A price change applies to calls made after it: traces keep the cost they were charged.
import { Body, Controller, Get, NotFoundException, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';

const COLUMNS = `id, provider_model AS "providerModel", display_name AS "displayName", input_price_per_1m::float8 AS "inputPricePer1m",
  output_price_per_1m::float8 AS "outputPricePer1m", context_window AS "contextWindow", active, updated_at AS "updatedAt"`;

const Price = z.number().min(0).max(10_000);
const UpdateModelSchema = z.object({
  id: z.string().optional(),
  inputPricePer1m: Price,
  outputPricePer1m: Price,
  active: z.boolean().optional(),
  displayName: z.string().min(1).max(200).optional(),
}).strict();

const ModelIdPipe = new ZodPipe(z.string().min(1).max(200).regex(/^[A-Za-z0-9._:/-]+$/, 'is not a model id'), 'id');

@ApiTags('models')
@ApiBearerAuth()
@Controller('models')
export class ModelsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@Res({ passthrough: true }) res: FastifyReply) {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM llm_models ORDER BY id`);
    res.header('Content-Range', `models 0-${Math.max(0, rows.length - 1)}/${rows.length}`);
    return rows;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  async get(@Param('id', ModelIdPipe) id: string) {
    const rows = await this.ds.query(`SELECT ${COLUMNS} FROM llm_models WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFoundException('model not found');
    return rows[0];
  }

  @Put(':id')
  @Allow('admin', 'finance')
  async update(@CurrentUser() user: AuthUser, @Param('id', ModelIdPipe) id: string, @Body(new ZodPipe(UpdateModelSchema)) body: z.infer<typeof UpdateModelSchema>) {
    const rows = await this.ds.query(
      `UPDATE llm_models SET input_price_per_1m = $2, output_price_per_1m = $3, active = coalesce($4, active),
              display_name = coalesce($5, display_name), updated_by = $6, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, body.inputPricePer1m, body.outputPricePer1m, body.active ?? null, body.displayName ?? null, user.id],
    );
    const updated = Array.isArray(rows[0]) ? rows[0] : rows;
    if (!updated[0]) throw new NotFoundException('model not found');
    return updated[0];
  }
}
