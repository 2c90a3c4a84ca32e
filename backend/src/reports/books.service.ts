// Finance's corrections of the past: re-pricing a period (previewed as a difference per
// model and day, then applied to the traces — the rollup triggers follow in the same
// transaction) and closing months, after which nothing dated in them changes. The
// database enforces the closing too (trigger on traces and rollups); this service says
// so first, as a 409, and takes the same per-organization lock as a closing so that
// neither can slip in between the other's check and commit.
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AuthUser } from '../auth/access.decorators';
import { isCalendarDate } from '../common/dates';
import type { ClosedMonthRow, RepriceSummaryRow } from '../repositories/tenant/costs.repository';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';
import { reportDay } from './reports.service';

const PricePer1m = z.number().min(0).max(10_000);

export const RepriceSchema = z
  .object({
    from: reportDay(),
    to: reportDay(),
    prices: z
      .array(
        z
          .object({
            model: z.string().min(1).max(200),
            inputPerMillion: PricePer1m,
            outputPerMillion: PricePer1m,
          })
          .strict(),
      )
      .min(1)
      .max(50)
      .refine((p) => new Set(p.map((x) => x.model)).size === p.length, 'must not name a model twice'),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 731, { message: 'the range may span at most two years', path: ['to'] });
export type RepriceRequest = z.infer<typeof RepriceSchema>;

/** A real month (common/dates.ts): `0000-01` is refused like `2026-13`. */
export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .refine((m) => isCalendarDate(`${m}-01`), 'is not a real month');

export type RepriceRow = Omit<RepriceSummaryRow, 'total'>;

export interface RepriceResult {
  from: string;
  to: string;
  rows: RepriceRow[];
  totals: Omit<RepriceRow, 'model' | 'day'>;
  repriceId?: string;
  changedTraces?: number;
}

@Injectable()
export class BooksService {
  constructor(private readonly scope: TenantScope) {}

  async preview(user: AuthUser, r: RepriceRequest): Promise<RepriceResult> {
    return this.scope.run(user.organizationId, async (repos) => {
      await this.checkModels(repos, r);
      return this.shape(r, await repos.costs.repricePreview(r));
    });
  }

  async apply(user: AuthUser, r: RepriceRequest): Promise<RepriceResult> {
    return this.scope.run(user.organizationId, async (repos) => {
      await this.checkModels(repos, r);
      await repos.costs.lockBooks();
      const closed = await repos.costs.closedMonthsBetween(r.from, r.to);
      if (closed.length > 0) {
        throw new ConflictException(`from: the period touches closed month${closed.length > 1 ? 's' : ''} ${closed.join(', ')}; closed months never change`);
      }
      const id = await repos.costs.createReprice(r, user.id);
      const rows = await repos.costs.applyReprice(r, id);
      const result = this.shape(r, rows);
      const changed = rows[0]?.changed ?? 0;
      await repos.costs.recordRepriceTotals(id, changed, result.totals.currentUsd, result.totals.repricedUsd);
      return { ...result, repriceId: id, changedTraces: changed };
    });
  }

  async closeMonth(user: AuthUser, month: string): Promise<ClosedMonthRow> {
    return this.scope.run(user.organizationId, async (repos) => {
      await repos.costs.lockBooks();
      if (!(await repos.costs.monthIsOver(month))) throw new ConflictException(`month: ${month} is not over yet; only past months can be closed`);
      if (!(await repos.costs.closeMonth(month, user.id))) throw new ConflictException(`month: ${month} is closed already`);
      const [row] = await repos.costs.closedMonths(month);
      return row;
    });
  }

  async months(user: AuthUser): Promise<ClosedMonthRow[]> {
    return this.scope.run(user.organizationId, (repos) => repos.costs.closedMonths(null));
  }

  private async checkModels(repos: TenantRepositories, r: RepriceRequest): Promise<void> {
    const ids = new Set(await repos.prices.knownModelIds(r.prices.map((p) => p.model)));
    const bad = r.prices.findIndex((p) => !ids.has(p.model));
    if (bad >= 0) throw new BadRequestException(`prices.${bad}.model: unknown model "${r.prices[bad].model}"`);
  }

  private shape(r: RepriceRequest, rows: (RepriceSummaryRow & { changed?: number })[]): RepriceResult {
    const strip = ({ total: _t, changed: _c, ...rest }: RepriceSummaryRow & { changed?: number }): RepriceRow => rest;
    const total = rows.find((x) => x.total);
    const {
      model: _m,
      day: _d,
      ...totals
    } = strip(total ?? { model: '', day: '', traces: 0, currentUsd: '0.00000000', repricedUsd: '0.00000000', differenceUsd: '0.00000000', total: true });
    return { from: r.from, to: r.to, rows: rows.filter((x) => !x.total).map(strip), totals };
  }
}
