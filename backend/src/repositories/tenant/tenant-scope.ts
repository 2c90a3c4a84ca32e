// The only way request handlers reach Postgres: `scope.run(organizationId, (repos) => …)`
// opens one transaction as mc_app for that organization and hands out repositories bound
// to it. Nothing else in API code holds a connection (the boundaries test checks), so a
// handler cannot run SQL outside its organization's scope by construction.
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
export { detached } from '../db';
import { TenantDb } from './tenant-db';
import { CoursesRepository } from './courses.repository';
import { CourseHistoryRepository } from './course-history.repository';
import { ApprovalsRepository } from './approvals.repository';
import { DocumentsRepository } from './documents.repository';
import { LessonsRepository } from './lessons.repository';
import { TracesRepository } from './traces.repository';
import { CostsRepository } from './costs.repository';
import { PricesRepository } from './prices.repository';
import { OverviewRepository } from './overview.repository';
import { MetricsRepository } from './metrics.repository';
import { UsersRepository } from './users.repository';
import { OrganizationsRepository } from './organizations.repository';
import { AuditRepository } from './audit.repository';
import { AlertsRepository } from './alerts.repository';
import { JobsRepository } from './jobs.repository';
import { PlatformCostsRepository } from './platform-costs.repository';
import { CatalogRepository } from './catalog.repository';
import { ReconciliationRepository } from './reconciliation.repository';

/** The repositories of one tenant transaction. Each is made on first use. */
export class TenantRepositories {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly db: Queryable,
    readonly organizationId: string,
  ) {}

  private made<T>(name: string, make: () => T): T {
    let repo = this.cache.get(name) as T | undefined;
    if (repo === undefined) this.cache.set(name, (repo = make()));
    return repo;
  }

  get courses(): CoursesRepository {
    return this.made('courses', () => new CoursesRepository(this.db, this.organizationId));
  }
  get courseHistory(): CourseHistoryRepository {
    return this.made('courseHistory', () => new CourseHistoryRepository(this.db, this.organizationId));
  }
  get approvals(): ApprovalsRepository {
    return this.made('approvals', () => new ApprovalsRepository(this.db, this.organizationId));
  }
  get documents(): DocumentsRepository {
    return this.made('documents', () => new DocumentsRepository(this.db, this.organizationId));
  }
  get lessons(): LessonsRepository {
    return this.made('lessons', () => new LessonsRepository(this.db, this.organizationId));
  }
  get traces(): TracesRepository {
    return this.made('traces', () => new TracesRepository(this.db, this.organizationId));
  }
  get costs(): CostsRepository {
    return this.made('costs', () => new CostsRepository(this.db, this.organizationId));
  }
  get prices(): PricesRepository {
    return this.made('prices', () => new PricesRepository(this.db, this.organizationId));
  }
  get overview(): OverviewRepository {
    return this.made('overview', () => new OverviewRepository(this.db, this.organizationId));
  }
  get metrics(): MetricsRepository {
    return this.made('metrics', () => new MetricsRepository(this.db, this.organizationId));
  }
  get users(): UsersRepository {
    return this.made('users', () => new UsersRepository(this.db, this.organizationId));
  }
  get organizations(): OrganizationsRepository {
    return this.made('organizations', () => new OrganizationsRepository(this.db, this.organizationId));
  }
  get audit(): AuditRepository {
    return this.made('audit', () => new AuditRepository(this.db, this.organizationId));
  }
  get alerts(): AlertsRepository {
    return this.made('alerts', () => new AlertsRepository(this.db, this.organizationId));
  }
  get jobs(): JobsRepository {
    return this.made('jobs', () => new JobsRepository(this.db, this.organizationId));
  }

  /** Every organization's costs: answers only in the platform organization's scope (operators). */
  get platformCosts(): PlatformCostsRepository {
    return this.made('platformCosts', () => new PlatformCostsRepository(this.db));
  }

  get catalog(): CatalogRepository {
    return this.made('catalog', () => new CatalogRepository(this.db, this.organizationId));
  }

  get reconciliation(): ReconciliationRepository {
    return this.made('reconciliation', () => new ReconciliationRepository(this.db, this.organizationId));
  }
}

@Injectable()
export class TenantScope {
  constructor(private readonly tenantDb: TenantDb) {}

  /** Runs `fn` in one transaction that sees only `organizationId`'s rows. */
  run<T>(organizationId: string, fn: (repos: TenantRepositories) => Promise<T>): Promise<T> {
    return this.tenantDb.run(organizationId, (db) => fn(new TenantRepositories(db, organizationId)));
  }
}
