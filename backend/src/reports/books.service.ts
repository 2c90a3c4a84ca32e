// Finance's corrections of the past: re-pricing a period (previewed as a difference per
// model and day, then applied to the traces — the rollup triggers follow in the same
// transaction) and closing months, after which nothing dated in them changes. The
// database enforces the closing too (trigger on traces and rollups); this service says
// so first, as a 409, and takes the same per-organization lock as a closing so that
// neither can slip in between the other's check and commit.
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { AuthUser } from '../auth/access.decorators';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a real date');
const PricePer1m = z.number().min(0).max(10_000);

export const RepriceSchema = z.object({
  from: isoDay,
  to: isoDay,
  prices: z.array(z.object({
    model: z.string().min(1).max(200),
    inputPerMillion: PricePer1m,
    outputPerMillion: PricePer1m,
  }).strict()).min(1).max(50).refine((p) => new Set(p.map((x) => x.model)).size === p.length, 'must not name a model twice'),
}).strict().refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 731, { message: 'the range may span at most two years', path: ['to'] });
export type RepriceRequest = z.infer<typeof RepriceSchema>;

export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

export interface RepriceRow {
  model: string;
  day: string;
  traces: number;
  currentUsd: string;
  repricedUsd: string;
  differenceUsd: string;
}

export interface RepriceResult {
  from: string;
  to: string;
  rows: RepriceRow[];
  totals: Omit<RepriceRow, 'model' | 'day'>;
  repriceId?: string;
  changedTraces?: number;
}

// The traces of the period for the named models, with their cost and the cost at the
// new prices — computed exactly as the gateway charges (numeric, rounded to 1e-8 USD).
const CANDIDATES = `
  prices AS (SELECT x.model, round(x.input, 6) AS input, round(x.output, 6) AS output
               FROM jsonb_to_recordset($4::jsonb) AS x(model text, input numeric, output numeric)),
  cand AS (
    SELECT t.id, t.model_used AS model, (t.created_at AT TIME ZONE 'UTC')::date AS day, t.cost_usd AS before,
           round((t.input_tokens::numeric * p.input + t.output_tokens::numeric * p.output) / 1000000, 8) AS after
      FROM generation_trace t JOIN prices p ON p.model = t.model_used
     WHERE t.organization_id = $1
       AND t.created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
       AND t.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
     %LOCK%)`;

const SUMMARY = `
  SELECT model, to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS traces,
         coalesce(sum(before), 0)::numeric(18, 8)::text AS "currentUsd",
         coalesce(sum(after), 0)::numeric(18, 8)::text AS "repricedUsd",
         (coalesce(sum(after), 0) - coalesce(sum(before), 0))::numeric(18, 8)::text AS "differenceUsd",
         GROUPING(model, day) <> 0 AS total
    FROM cand GROUP BY GROUPING SETS ((model, day), ()) ORDER BY total, day, model`;

@Injectable()
export class BooksService {
  constructor(private readonly ds: DataSource) {}

  async preview(user: AuthUser, r: RepriceRequest): Promise<RepriceResult> {
    await this.checkModels(this.ds.manager, r);
    const rows = await this.ds.query(`WITH ${CANDIDATES.replace('%LOCK%', '')} ${SUMMARY}`, this.params(user, r));
    return this.shape(r, rows);
  }

  async apply(user: AuthUser, r: RepriceRequest): Promise<RepriceResult> {
    return this.ds.transaction(async (em) => {
      await this.checkModels(em, r);
      await this.lockBooks(em, user.organizationId);
      const closed: { month: string }[] = await em.query(
        `SELECT to_char(month, 'YYYY-MM') AS month FROM cost_closed_months
          WHERE organization_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date ORDER BY month`,
        [user.organizationId, r.from, r.to],
      );
      if (closed.length > 0) {
        throw new ConflictException(`from: the period touches closed month${closed.length > 1 ? 's' : ''} ${closed.map((c) => c.month).join(', ')}; closed months never change`);
      }
      const [{ id }] = await em.query(
        `INSERT INTO cost_reprices (organization_id, from_day, to_day, prices, traces, before_usd, after_usd, created_by)
         VALUES ($1, $2, $3, $4, 0, 0, 0, $5) RETURNING id::text`,
        [user.organizationId, r.from, r.to, JSON.stringify(r.prices), user.id],
      );
      const rows = await em.query(
        `WITH ${CANDIDATES.replace('%LOCK%', 'FOR UPDATE OF t')},
           upd AS (UPDATE generation_trace t SET cost_usd = cand.after, reprice_id = $5
                     FROM cand WHERE t.id = cand.id AND cand.after <> cand.before RETURNING t.id)
         SELECT s.*, (SELECT count(*)::int FROM upd) AS changed FROM (${SUMMARY}) s ORDER BY s.total, s.day, s.model`,
        [...this.params(user, r), id],
      );
      const result = this.shape(r, rows);
      await em.query(`UPDATE cost_reprices SET traces = $2, before_usd = $3, after_usd = $4 WHERE id = $1`,
        [id, rows[0]?.changed ?? 0, result.totals.currentUsd, result.totals.repricedUsd]);
      return { ...result, repriceId: id, changedTraces: rows[0]?.changed ?? 0 };
    });
  }

  async closeMonth(user: AuthUser, month: string) {
    return this.ds.transaction(async (em) => {
      await this.lockBooks(em, user.organizationId);
      const [{ over }] = await em.query(`SELECT ($1::text || '-01')::date < date_trunc('month', now() AT TIME ZONE 'UTC')::date AS over`, [month]);
      if (!over) throw new ConflictException(`month: ${month} is not over yet; only past months can be closed`);
      const inserted = await em.query(
        `INSERT INTO cost_closed_months (organization_id, month, closed_by) VALUES ($1, ($2::text || '-01')::date, $3)
         ON CONFLICT DO NOTHING RETURNING month`,
        [user.organizationId, month, user.id],
      );
      if (!inserted[0]) throw new ConflictException(`month: ${month} is closed already`);
      const [row] = await this.monthsQuery(em, user.organizationId, month);
      return row;
    });
  }

  async months(user: AuthUser) {
    return this.monthsQuery(this.ds.manager, user.organizationId, null);
  }

  private monthsQuery(em: EntityManager, organizationId: string, month: string | null) {
    return em.query(
      `SELECT to_char(m.month, 'YYYY-MM') AS month, m.closed_at AS "closedAt", u.email AS "closedBy",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
                WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "costUsd",
              (SELECT coalesce(sum(r.calls), 0)::int FROM cost_daily_rollup r
                WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS calls
         FROM cost_closed_months m LEFT JOIN users u ON u.id = m.closed_by
        WHERE m.organization_id = $1 AND ($2::text IS NULL OR m.month = ($2 || '-01')::date)
        ORDER BY m.month DESC`,
      [organizationId, month],
    );
  }

  /** One closing or re-pricing of an organization's books at a time. */
  private async lockBooks(em: EntityManager, organizationId: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('mc-books-' || $1::text, 0))`, [organizationId]);
  }

  private async checkModels(em: EntityManager, r: RepriceRequest): Promise<void> {
    const known: { id: string }[] = await em.query(`SELECT id FROM llm_models WHERE id = ANY($1::text[])`, [r.prices.map((p) => p.model)]);
    const ids = new Set(known.map((k) => k.id));
    const bad = r.prices.findIndex((p) => !ids.has(p.model));
    if (bad >= 0) throw new BadRequestException(`prices.${bad}.model: unknown model "${r.prices[bad].model}"`);
  }

  private params(user: AuthUser, r: RepriceRequest): unknown[] {
    return [user.organizationId, r.from, r.to, JSON.stringify(r.prices.map((p) => ({ model: p.model, input: p.inputPerMillion, output: p.outputPerMillion })))];
  }

  private shape(r: RepriceRequest, rows: (RepriceRow & { total: boolean; changed?: number })[]): RepriceResult {
    const strip = ({ total: _t, changed: _c, ...rest }: RepriceRow & { total: boolean; changed?: number }) => rest;
    const total = rows.find((x) => x.total);
    const { model: _m, day: _d, ...totals } = strip(total ?? { model: '', day: '', traces: 0, currentUsd: '0.00000000', repricedUsd: '0.00000000', differenceUsd: '0.00000000', total: true });
    return { from: r.from, to: r.to, rows: rows.filter((x) => !x.total).map(strip), totals };
  }
}
