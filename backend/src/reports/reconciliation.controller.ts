// Invoice reconciliation for finance: POST a provider's usage export for a month, get
// back, per model × day, our recorded cost against the invoice with the variance and the
// traces behind each cell. Nothing is stored: the answer is computed from the file and
// the cost rollup each time (the audit log records who reconciled which month).
import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, Can, CurrentUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { ZodPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { InvoiceCsvError, parseInvoiceCsv } from './invoice-csv';
import { reconcile } from './reconciliation';
import { ReconciliationRequest, ReconciliationRequestSchema, ReconciliationResponse, ReconciliationResponseSchema } from './reconciliation.dto';
import { ApiJson } from '../openapi/api-doc.decorators';
import { named } from '../openapi/common.schemas';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReconciliationController {
  constructor(private readonly scope: TenantScope) {}

  @Post('reconciliation')
  @HttpCode(200)
  @Can('costs.reconcile')
  @RateLimit('reconciliation', 30, 60)
  @ApiJson(named('Reconciliation', ReconciliationResponseSchema), {
    summary: "Reconcile a provider's usage export with the recorded costs",
    description:
      "csv: OpenRouter's activity export (columns model|model_permaslug, created_at|date, tokens_prompt, tokens_completion, cost|usage|cost_total) " +
      'or model,day,input_tokens,output_tokens,cost; every row in `month` (UTC days). A bad file is a 400 naming the line and the column.',
  })
  async reconcile(@CurrentUser() user: AuthUser, @Body(new ZodPipe(ReconciliationRequestSchema)) body: ReconciliationRequest): Promise<ReconciliationResponse> {
    let invoice;
    try {
      invoice = parseInvoiceCsv(body.csv, body.month, body.format === 'auto' ? 'auto' : body.format);
    } catch (err) {
      if (err instanceof InvoiceCsvError) throw new BadRequestException(`csv: ${err.message}`);
      throw err;
    }
    const [recorded, catalog] = await this.scope.run(
      user.organizationId,
      async (repos) => [await repos.reconciliation.recordedByModelDay(body.month), await repos.reconciliation.catalogNames()] as const,
    );
    return reconcile(body.month, invoice, recorded, catalog, body.toleranceUsd);
  }
}
