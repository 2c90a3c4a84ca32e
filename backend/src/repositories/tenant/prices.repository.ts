// Model prices: the organization's price versions over the shared model catalog.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
//
// llm_models and llm_model_prices hold no organization (the catalog and its versions
// are shared today, without row-level security; mc_app has the table grants); the
// users named as a version's author are seen through the users policy, so an author of
// another organization shows as null.
import { z } from 'zod';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, search } from '../list-query';

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

const IN_FORCE_INPUT = 'coalesce(cur.input_price_per_1m, m.input_price_per_1m)';
const IN_FORCE_OUTPUT = 'coalesce(cur.output_price_per_1m, m.output_price_per_1m)';

/** The models list as ra-data-simple-rest asks for it (getList, getMany by id). */
const MODELS_SPEC: ListSpec = {
  sortable: {
    id: 'm.id', displayName: 'm.display_name', providerModel: 'm.provider_model', contextWindow: 'm.context_window',
    inputPricePer1m: IN_FORCE_INPUT, outputPricePer1m: IN_FORCE_OUTPUT, active: 'm.active', updatedAt: 'm.updated_at',
  },
  filters: {
    id: eq('m.id', z.string().max(200)),
    q: search('m.id', 'm.display_name', 'm.provider_model'),
    active: eq('m.active', z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
  },
  defaultSort: ['id', 'ASC'],
  maxPage: 1000,
};

export interface ModelPriceRow {
  id: string;
  providerModel: string;
  displayName: string;
  inputPricePer1m: number;
  outputPricePer1m: number;
  priceVersionId: string | null;
  priceEffectiveFrom: Date | null;
  contextWindow: number;
  active: boolean;
  updatedAt: Date;
}

export interface PriceVersionRow {
  id: string;
  inputPricePer1m: string;
  outputPricePer1m: string;
  effectiveFrom: Date;
  createdAt: Date;
  createdBy: string | null;
  scheduled: boolean;
}

export interface NewPriceVersion {
  inputPricePer1m: number;
  outputPricePer1m: number;
  /** ISO time; now when null (never earlier than now) */
  effectiveFrom: string | null;
  createdBy: string;
}

export interface ModelEdit {
  inputPricePer1m: number;
  outputPricePer1m: number;
  active: boolean | null;
  displayName: string | null;
  /** whether the new version is in force already (then llm_models carries its prices) */
  inForce: boolean;
  updatedBy: string;
}

export class PricesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the models with the price in force now, and its Content-Range. */
  async pageModels(query: Record<string, unknown>): Promise<{ rows: ModelPriceRow[]; range: string }> {
    return pageOf(this.db, query, MODELS_SPEC, {
      resource: 'models', select: COLUMNS, from: `llm_models m ${CURRENT}`, tiebreak: 'm.id', scope: { sql: 'true', params: [] },
    });
  }

  async model(id: string): Promise<ModelPriceRow | undefined> {
    const [row] = await this.db.query<ModelPriceRow>(`SELECT ${COLUMNS} FROM llm_models m ${CURRENT} WHERE m.id = $1`, [id]);
    return row;
  }

  /** A model's price versions, latest effective first. */
  priceHistory(id: string): Promise<PriceVersionRow[]> {
    return this.db.query<PriceVersionRow>(HISTORY, [id]);
  }

  /** Which of `ids` are models of the catalog. */
  async knownModelIds(ids: string[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM llm_models WHERE id = ANY($1::text[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Locks the model's row until the transaction ends; false when there is no such model. */
  async lockModel(id: string): Promise<boolean> {
    const found = await this.db.query(`SELECT id FROM llm_models WHERE id = $1 FOR UPDATE`, [id]);
    return found.length > 0;
  }

  /** Adds a price version; null when the model has a version starting at that moment already. */
  async addPriceVersion(modelId: string, v: NewPriceVersion): Promise<{ inForce: boolean } | null> {
    const [row] = await this.db.query<{ inForce: boolean }>(
      `INSERT INTO llm_model_prices (model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
       VALUES ($1, $2, $3, greatest(coalesce($4::timestamptz, now()), now()), $5)
       ON CONFLICT (model_id, effective_from) DO NOTHING RETURNING effective_from <= now() AS "inForce"`,
      [modelId, v.inputPricePer1m, v.outputPricePer1m, v.effectiveFrom, v.createdBy],
    );
    return row ?? null;
  }

  /** llm_models keeps the price in force for readers that predate versions, and the model's own fields. */
  async updateModel(id: string, e: ModelEdit): Promise<void> {
    await this.db.query(
      `UPDATE llm_models SET
         input_price_per_1m = CASE WHEN $6 THEN $2 ELSE input_price_per_1m END,
         output_price_per_1m = CASE WHEN $6 THEN $3 ELSE output_price_per_1m END,
         active = coalesce($4, active), display_name = coalesce($5, display_name), updated_by = $7, updated_at = now()
       WHERE id = $1`,
      [id, e.inputPricePer1m, e.outputPricePer1m, e.active, e.displayName, e.inForce, e.updatedBy],
    );
  }
}
