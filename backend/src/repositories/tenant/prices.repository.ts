// Model prices: the organization's price versions over the shared model catalog.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
//
// llm_models is the catalog every organization shares (no organization, no row-level
// security; its defaults are edited by the platform's operators through the catalog
// repository). llm_model_prices holds the organization's own versions under row-level
// security, and every statement here names the organization too. The users named as a
// version's author are seen through the users policy, so only the organization's own
// editors ever show.
import { z } from 'zod';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, search } from '../list-query';

/** The organization's version in force now, per catalog model ($1: the organization). */
const CURRENT = `LEFT JOIN LATERAL (
    SELECT p.id, p.input_price_per_1m, p.output_price_per_1m, p.effective_from FROM llm_model_prices p
     WHERE p.organization_id = $1::uuid AND p.model_id = m.id AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1) cur ON true`;

const COLUMNS = `m.id, m.provider_model AS "providerModel", m.display_name AS "displayName",
  cur.input_price_per_1m::float8 AS "inputPricePer1m", cur.output_price_per_1m::float8 AS "outputPricePer1m",
  (cur.id IS NOT NULL) AS priced,
  cur.id::text AS "priceVersionId", cur.effective_from AS "priceEffectiveFrom",
  m.input_price_per_1m::float8 AS "defaultInputPricePer1m", m.output_price_per_1m::float8 AS "defaultOutputPricePer1m",
  m.context_window AS "contextWindow", m.max_output_tokens AS "maxOutputTokens",
  m.supports_json_schema AS "supportsJsonSchema", m.supports_json_mode AS "supportsJsonMode",
  m.active, m.updated_at AS "updatedAt"`;

const HISTORY = `SELECT p.id::text AS id, p.input_price_per_1m::text AS "inputPricePer1m", p.output_price_per_1m::text AS "outputPricePer1m",
    p.effective_from AS "effectiveFrom", p.created_at AS "createdAt", u.email AS "createdBy",
    (p.effective_from > now()) AS scheduled
  FROM llm_model_prices p LEFT JOIN users u ON u.id = p.created_by AND u.organization_id = p.organization_id
  WHERE p.organization_id = $1 AND p.model_id = $2 ORDER BY p.effective_from DESC`;

const IN_FORCE_INPUT = 'cur.input_price_per_1m';
const IN_FORCE_OUTPUT = 'cur.output_price_per_1m';

/** The models list as ra-data-simple-rest asks for it (getList, getMany by id). */
export const MODELS_SPEC: ListSpec = {
  sortable: {
    id: 'm.id',
    displayName: 'm.display_name',
    providerModel: 'm.provider_model',
    contextWindow: 'm.context_window',
    inputPricePer1m: IN_FORCE_INPUT,
    outputPricePer1m: IN_FORCE_OUTPUT,
    active: 'm.active',
    updatedAt: 'm.updated_at',
  },
  filters: {
    id: eq('m.id', z.string().max(200)),
    q: search('m.id', 'm.display_name', 'm.provider_model'),
    active: eq('m.active', z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
    priced: eq('(cur.id IS NOT NULL)', z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
  },
  defaultSort: ['id', 'ASC'],
  maxPage: 1000,
};

/** A catalog model with the organization's price in force now (null prices: none). */
export interface ModelPriceRow {
  id: string;
  providerModel: string;
  displayName: string;
  inputPricePer1m: number | null;
  outputPricePer1m: number | null;
  priced: boolean;
  priceVersionId: string | null;
  priceEffectiveFrom: Date | null;
  defaultInputPricePer1m: number;
  defaultOutputPricePer1m: number;
  contextWindow: number;
  maxOutputTokens: number;
  supportsJsonSchema: boolean;
  supportsJsonMode: boolean;
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

export class PricesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the catalog with the organization's price in force now, and its Content-Range. */
  async pageModels(query: Record<string, unknown>): Promise<{ rows: ModelPriceRow[]; range: string }> {
    return pageOf(this.db, query, MODELS_SPEC, {
      resource: 'models',
      select: COLUMNS,
      from: `llm_models m ${CURRENT}`,
      tiebreak: 'm.id',
      scope: { sql: 'true', params: [this.organizationId] },
    });
  }

  async model(id: string): Promise<ModelPriceRow | undefined> {
    const [row] = await this.db.query<ModelPriceRow>(`SELECT ${COLUMNS} FROM llm_models m ${CURRENT} WHERE m.id = $2`, [this.organizationId, id]);
    return row;
  }

  /** The organization's price versions of a model, latest effective first. */
  priceHistory(id: string): Promise<PriceVersionRow[]> {
    return this.db.query<PriceVersionRow>(HISTORY, [this.organizationId, id]);
  }

  /** Which of `ids` are models of the catalog. */
  async knownModelIds(ids: string[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM llm_models WHERE id = ANY($1::text[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Keeps the catalog model from being removed until the transaction ends; false when there is no such model. */
  async lockCatalogModel(id: string): Promise<boolean> {
    const found = await this.db.query(`SELECT id FROM llm_models WHERE id = $1 FOR KEY SHARE`, [id]);
    return found.length > 0;
  }

  /** Adds a price version of the organization; null when it has a version of the model starting at that moment already. */
  async addPriceVersion(modelId: string, v: NewPriceVersion): Promise<{ inForce: boolean } | null> {
    const [row] = await this.db.query<{ inForce: boolean }>(
      `INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
       VALUES ($1, $2, $3, $4, greatest(coalesce($5::timestamptz, now()), now()), $6)
       ON CONFLICT (organization_id, model_id, effective_from) DO NOTHING RETURNING effective_from <= now() AS "inForce"`,
      [this.organizationId, modelId, v.inputPricePer1m, v.outputPricePer1m, v.effectiveFrom, v.createdBy],
    );
    return row ?? null;
  }
}
