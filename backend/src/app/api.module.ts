// The API process: HTTP routes, the /live socket namespace and the dashboard's files.
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AccessGuard } from '../auth/access.guard';
import { AuthController, MeController } from '../auth/auth.controller';
import { AuthService } from '../auth/auth.service';
import { AuditController, AuditLog } from '../auth/audit';
import { RateLimiter } from '../auth/rate-limit';
import { UsersController } from '../users/users.controller';
import { ErrorsFilter } from '../common/errors.filter';
import { APP_CONFIG, AppConfig, loadConfig } from '../config/app-config';
import { CoursesController } from '../courses/courses.controller';
import { CoursesService } from '../courses/courses.service';
import { StatusCache } from '../courses/status-cache';
import { HealthController } from '../health/health.controller';
import { MetricsController } from '../health/metrics.controller';
import { ShutdownState } from '../health/probes';
import { LessonsController } from '../lessons/lessons.controller';
import { LiveGateway } from '../live/live.gateway';
import { ModelsController } from '../models-api/models.controller';
import { ReconciliationController } from '../reports/reconciliation.controller';
import { CatalogController } from '../models-api/catalog.controller';
import { TracesController } from '../traces/traces.controller';
import { OrganizationController } from '../organization/organization.controller';
import { DocumentsController } from '../documents/documents.controller';
import { DocumentsService } from '../documents/documents.service';
import { ReportsController } from '../reports/reports.controller';
import { ReportsService } from '../reports/reports.service';
import { BooksService } from '../reports/books.service';
import { BudgetsController } from '../budgets/budgets.controller';
import { AlertsController } from '../alerts/alerts.controller';
import { CoreModule } from './core.module';
import { OverviewController } from '../overview/overview.controller';
import { OverviewService } from '../overview/overview.service';
import { ApprovalsController } from '../approvals/approvals.controller';
import { ApprovalsService } from '../approvals/approvals.service';
import { TimelineController } from '../courses/timeline.controller';
import { TimelineService } from '../courses/timeline.service';
import { QueuesBoardController } from '../queues-board/queues-board.controller';
import { JobsController } from '../jobs-api/jobs.controller';
import { JobsService } from '../jobs-api/jobs.service';
import { ProbeRepository } from '../repositories/tenant/probe.repository';
import { SignInRepository } from '../repositories/tenant/sign-in.repository';
import { withLogContext } from '../observability/logger';

@Module({
  imports: [
    CoreModule,
    // A KeyObject, not the string: jsonwebtoken otherwise tries to parse the secret as a
    // public key (and throws) on every verify — a third of the status route's CPU.
    JwtModule.registerAsync({ useFactory: () => ({ secret: createSecretKey(Buffer.from(loadConfig().jwt.secret)) as unknown as string }) }),
  ],
  controllers: [
    AuthController,
    MeController,
    CoursesController,
    TracesController,
    LessonsController,
    ModelsController,
    OrganizationController,
    DocumentsController,
    ReportsController,
    HealthController,
    MetricsController,
    UsersController,
    AuditController,
    OverviewController,
    ApprovalsController,
    TimelineController,
    QueuesBoardController,
    BudgetsController,
    AlertsController,
    JobsController,
    CatalogController,
    ReconciliationController,
  ],
  providers: [
    AuthService,
    AuditLog,
    RateLimiter,
    CoursesService,
    DocumentsService,
    ReportsService,
    BooksService,
    LiveGateway,
    OverviewService,
    ApprovalsService,
    TimelineService,
    StatusCache,
    ProbeRepository,
    SignInRepository,
    JobsService,
    { provide: ShutdownState, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new ShutdownState(c.shutdownDelayMs) },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: ErrorsFilter },
  ],
})
export class ApiModule implements NestModule {
  /** Whatever NestJS code logs while serving a request carries its request id (observability/logger.ts). */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: { id?: string }, _res: unknown, next: () => void) => withLogContext({ reqId: req.id }, next))
      .forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
