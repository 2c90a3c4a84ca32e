// The API process: HTTP routes, the /live socket namespace and the dashboard's files.
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessGuard } from '../auth/access.guard';
import { AuthController } from '../auth/auth.controller';
import { AuthService } from '../auth/auth.service';
import { ErrorsFilter } from '../common/errors.filter';
import { loadConfig } from '../config/app-config';
import { CoursesController } from '../courses/courses.controller';
import { CoursesService } from '../courses/courses.service';
import { EtaService } from '../courses/eta.service';
import { HealthController } from '../health/health.controller';
import { LessonsController } from '../lessons/lessons.controller';
import { LiveGateway } from '../live/live.gateway';
import { ModelsController } from '../models-api/models.controller';
import { TracesController } from '../traces/traces.controller';
import { OrganizationController } from '../organization/organization.controller';
import { DocumentsController } from '../documents/documents.controller';
import { DocumentsService } from '../documents/documents.service';
import { ReportsController } from '../reports/reports.controller';
import { ReportsService } from '../reports/reports.service';
import { AlertsController } from '../alerts/alerts.controller';
import { CoreModule } from './core.module';

@Module({
  imports: [
    CoreModule,
    JwtModule.registerAsync({ useFactory: () => ({ secret: loadConfig().jwt.secret }) }),
  ],
  controllers: [AuthController, CoursesController, TracesController, LessonsController, ModelsController, OrganizationController, DocumentsController, ReportsController, HealthController, AlertsController],
  providers: [
    AuthService,
    CoursesService,
    DocumentsService,
    EtaService,
    ReportsService,
    LiveGateway,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_FILTER, useClass: ErrorsFilter },
  ],
})
export class ApiModule {}
