// The connection layer every repository runs on: one `Queryable` shape for both doors
// into Postgres (the tenant door, as mc_app under row-level security, and the system
// door, as the owner), and transactions that retry a serialization failure or deadlock
// before giving up with a 503 (see db-errors.ts). Only repositories import this file.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { DbUnavailableError, isRetryable } from './db-errors';

/** What a repository runs its SQL on: a transaction's client, or the pool. */
export interface Queryable {
  query<T = any>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** The pg pool under TypeORM's DataSource (TypeORM stays for migrations only). */
export function poolOf(ds: DataSource): Pool {
  return (ds.driver as unknown as { master: Pool }).master;
}

/**
 * A statement with parameters as a named prepared statement: Postgres parses and plans
 * it once per connection instead of on every call. The system door's statements are
 * fixed texts (the orchestrator's, the workers', the sweeps'), so they are named by
 * their text; the first MAX_PREPARED distinct texts of a process get names, the rest run
 * unnamed. Tenant reads stay unnamed: their filters vary per request, and a generic plan
 * chosen for a small organization could be wrong for a large one.
 */
const MAX_PREPARED = 500;
const preparedNames = new Map<string, string>();

function statement(sql: string, params: readonly unknown[] | undefined, prepared: boolean): string | QueryConfig {
  if (!prepared || !params?.length) return sql;
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `mc_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    preparedNames.set(sql, name);
  }
  return name === undefined ? sql : { name, text: sql, values: params as unknown[] };
}

export function clientQueryable(client: PoolClient, prepared = false): Queryable {
  return {
    query: async (sql, params) => {
      const s = statement(sql, params, prepared);
      return (await (typeof s === 'string' ? client.query(s, params as unknown[]) : client.query(s))).rows;
    },
  };
}

/**
 * The pool whose transaction the current async call chain is inside. Code in a
 * transaction that asks the same pool for another connection can wait forever once
 * every connection is held by transactions waiting for a lock this one holds (a burst of
 * STARTs behind the organization's start lock did); under NODE_ENV=test that request
 * throws, so every test walks the rule. Work meant to run on its own (a background
 * refresh started from a transition) leaves the chain with `detached`.
 */
const inTransaction = new AsyncLocalStorage<Pool>();
const CHECK_NESTING = process.env.NODE_ENV === 'test';

function refuseNested(pool: Pool): void {
  if (CHECK_NESTING && inTransaction.getStore() === pool) {
    throw new Error('a second pooled connection was asked for inside a transaction: pass the transaction on, or run it after the commit');
  }
}

/** Runs `fn` outside the current transaction's call chain (for work that does not belong to it). */
export function detached<T>(fn: () => T): T {
  return inTransaction.exit(fn);
}

/** One statement outside any transaction (autocommit), with the system's rights. */
export function poolQueryable(pool: Pool, prepared = false): Queryable {
  return {
    query: async (sql, params) => {
      refuseNested(pool);
      const s = statement(sql, params, prepared);
      return (await (typeof s === 'string' ? pool.query(s, params as unknown[]) : pool.query(s))).rows;
    },
  };
}

export interface TransactionOptions {
  /** statements sent with BEGIN in the same round trip (role and organization settings) */
  setup?: string;
  /** how many times a serialization failure or deadlock reruns `fn` (default 2) */
  retries?: number;
  /** statements with parameters run as named prepared statements (the system door) */
  prepared?: boolean;
}

/**
 * Runs `fn` in one transaction. A serialization failure or deadlock rolls back and runs
 * `fn` again (it must not have effects outside the database); past the retries it is a
 * DbUnavailableError, which the error map answers with 503.
 */
export async function transaction<T>(pool: Pool, fn: (db: Queryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  refuseNested(pool);
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    // A connection Postgres ends while the client is checked out (a restart, a failover,
    // pg_terminate_backend) is an 'error' event that would otherwise crash the process;
    // the statement in flight fails on its own, and the client is not given back.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query(options.setup ? `BEGIN; ${options.setup}` : 'BEGIN');
      const result = await inTransaction.run(pool, () => fn(clientQueryable(client, options.prepared)));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (isRetryable(err)) {
        if (attempt < retries) continue;
        throw new DbUnavailableError('the database was busy with conflicting changes; try again');
      }
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}
