// The system repositories on a test DataSource's pool, as the Nest modules make them.
import type { DataSource } from 'typeorm';
import { AlertsSystemRepository } from '../src/repositories/system/alerts.system-repository';
import { CoursesSystemRepository } from '../src/repositories/system/courses.system-repository';
import { DeadlinesSystemRepository } from '../src/repositories/system/deadlines.system-repository';
import { OutboxSystemRepository } from '../src/repositories/system/outbox.system-repository';
import { PhasesSystemRepository } from '../src/repositories/system/phases.system-repository';
import { ReconcilerSystemRepository } from '../src/repositories/system/reconciler.system-repository';
import { SystemDb } from '../src/repositories/system/system-db';
import { TracesSystemRepository } from '../src/repositories/system/traces.system-repository';
import { WebhooksSystemRepository } from '../src/repositories/system/webhooks.system-repository';

export function systemRepositories(ds: DataSource) {
  const db = new SystemDb(ds);
  return {
    db,
    alerts: new AlertsSystemRepository(db),
    courses: new CoursesSystemRepository(db),
    deadlines: new DeadlinesSystemRepository(db),
    outbox: new OutboxSystemRepository(db),
    phases: new PhasesSystemRepository(db),
    reconciler: new ReconcilerSystemRepository(db),
    traces: new TracesSystemRepository(db),
    webhooks: new WebhooksSystemRepository(db),
  };
}
