// The shared model catalog (llm_models): the models every organization may price, with
// their provider name, limits, capabilities and default prices. Everyone reads it; only
// the platform's operators change it (`catalog.edit` in auth/permissions.ts).
// Tenant repository: runs on a transaction opened by TenantScope as mc_app; llm_models
// has no organization and no row-level security.
import { z } from 'zod';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, search } from '../list-query';

const COLUMNS = `m.id, m.provider_model AS "providerModel", m.display_name AS "displayName",
  m.context_window AS "contextWindow", m.max_output_tokens AS "maxOutputTokens",
  m.supports_json_schema AS "supportsJsonSchema", m.supports_json_mode AS "supportsJsonMode",
  m.token_limit_param AS "tokenLimitParam", m.supports_streaming AS "supportsStreaming",
  m.input_price_per_1m::float8 AS "defaultInputPricePer1m", m.output_price_per_1m::float8 AS "defaultOutputPricePer1m",
  m.active, m.updated_at AS "updatedAt"`;

export const CATALOG_SPEC: ListSpec = {
  sortable: {
    id: 'm.id',
    displayName: 'm.display_name',
    providerModel: 'm.provider_model',
    contextWindow: 'm.context_window',
    maxOutputTokens: 'm.max_output_tokens',
    defaultInputPricePer1m: 'm.input_price_per_1m',
    defaultOutputPricePer1m: 'm.output_price_per_1m',
    active: 'm.active',
    updatedAt: 'm.updated_at',
  },
  filters: {
    id: eq('m.id', z.string().max(200)),
    q: search('m.id', 'm.display_name', 'm.provider_model'),
    active: eq('m.active', z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])),
  },
  defaultSort: ['id', 'ASC'],
  maxPage: 1000,
};

export interface CatalogModelRow {
  id: string;
  providerModel: string;
  displayName: string;
  contextWindow: number;
  maxOutputTokens: number;
  supportsJsonSchema: boolean;
  supportsJsonMode: boolean;
  tokenLimitParam: 'max_tokens' | 'max_completion_tokens';
  supportsStreaming: boolean;
  defaultInputPricePer1m: number;
  defaultOutputPricePer1m: number;
  active: boolean;
  updatedAt: Date;
}

/** A catalog edit: null keeps the field (a new model needs the required ones, checked by the caller). */
export interface CatalogEdit {
  providerModel: string | null;
  displayName: string | null;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  supportsJsonSchema: boolean | null;
  supportsJsonMode: boolean | null;
  tokenLimitParam: 'max_tokens' | 'max_completion_tokens' | null;
  supportsStreaming: boolean | null;
  defaultInputPricePer1m: number | null;
  defaultOutputPricePer1m: number | null;
  active: boolean | null;
  updatedBy: string;
}

export class CatalogRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  pageCatalog(query: Record<string, unknown>): Promise<{ rows: CatalogModelRow[]; range: string }> {
    return pageOf(this.db, query, CATALOG_SPEC, {
      resource: 'catalog',
      select: COLUMNS,
      from: 'llm_models m',
      tiebreak: 'm.id',
      scope: { sql: 'true', params: [] },
    });
  }

  async catalogModel(id: string): Promise<CatalogModelRow | undefined> {
    const [row] = await this.db.query<CatalogModelRow>(`SELECT ${COLUMNS} FROM llm_models m WHERE m.id = $1`, [id]);
    return row;
  }

  /** Changes a catalog model; false when there is no such model. */
  async updateCatalogModel(id: string, e: CatalogEdit): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE llm_models SET
         provider_model = coalesce($2, provider_model), display_name = coalesce($3, display_name),
         context_window = coalesce($4, context_window), max_output_tokens = coalesce($5, max_output_tokens),
         supports_json_schema = coalesce($6, supports_json_schema), supports_json_mode = coalesce($7, supports_json_mode),
         input_price_per_1m = coalesce($8, input_price_per_1m), output_price_per_1m = coalesce($9, output_price_per_1m),
         active = coalesce($10, active), updated_by = $11, updated_at = now(),
         token_limit_param = coalesce($12, token_limit_param), supports_streaming = coalesce($13, supports_streaming)
       WHERE id = $1 RETURNING id`,
      [
        id,
        e.providerModel,
        e.displayName,
        e.contextWindow,
        e.maxOutputTokens,
        e.supportsJsonSchema,
        e.supportsJsonMode,
        e.defaultInputPricePer1m,
        e.defaultOutputPricePer1m,
        e.active,
        e.updatedBy,
        e.tokenLimitParam,
        e.supportsStreaming,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Adds a model to the catalog; false when one with this id exists already. No
   * organization has a price for it yet: each adds it to its own table.
   */
  async addCatalogModel(
    id: string,
    e: CatalogEdit & { contextWindow: number; defaultInputPricePer1m: number; defaultOutputPricePer1m: number },
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO llm_models (id, provider_model, display_name, context_window, max_output_tokens, supports_json_schema, supports_json_mode,
                               input_price_per_1m, output_price_per_1m, active, updated_by, token_limit_param, supports_streaming)
       VALUES ($1, coalesce($2, $1), coalesce($3, $1), $4, coalesce($5, 32768), coalesce($6, false), coalesce($7, false), $8, $9, coalesce($10, true), $11,
               coalesce($12, 'max_tokens'), coalesce($13, false))
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        id,
        e.providerModel,
        e.displayName,
        e.contextWindow,
        e.maxOutputTokens,
        e.supportsJsonSchema,
        e.supportsJsonMode,
        e.defaultInputPricePer1m,
        e.defaultOutputPricePer1m,
        e.active,
        e.updatedBy,
        e.tokenLimitParam,
        e.supportsStreaming,
      ],
    );
    return rows.length > 0;
  }
}
