// GET /api/metrics: the Prometheus text operations scrape. With a user's token (admins
// and ops): numbers of the caller's own organization — courses by status, courses at a
// gate, model calls, tokens and spend by model and label, the month's spend against its
// budget, open alerts — read under the organization's access rules. With the deployment's
// METRICS_TOKEN (no user, so no organization: tenant numbers stay behind tenant access)
// only the rest. The rest, in both: what belongs to no organization — queue depths, live
// workers — and this API process's own metrics (observability/metrics.ts: the HTTP
// histogram, CPU, memory). Values that can go down are gauges — spend is one, since a
// re-price rewrites it — and only what never decreases is a counter.
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import IORedis from 'ioredis';
import { Counter, Gauge, Registry } from 'prom-client';
import { REDIS } from '../app/tokens';
import { AcceptsScrapeToken, Can, AuthUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PHASE_QUEUES, QueueName } from '../jobs/job.names';
import { liveWorkers } from '../jobs/worker.host';
import { QueueRepository } from '../repositories/queue.repository';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiText } from '../openapi/api-doc.decorators';
import { processRegistry } from '../observability/metrics';

const COURSE_STATUSES = ['idle', 'queued', 'generating', 'completed', 'failed', 'cancelled'];
const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

@ApiTags('health')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly scope: TenantScope,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRepository,
  ) {}

  @Get()
  @Can('metrics.read')
  @AcceptsScrapeToken()
  @RateLimit('metrics', 120, 60)
  @ApiText('text/plain', {
    summary: 'Prometheus metrics of the organization and of this process',
    example: '# HELP mc_courses Courses of the organization by status\n# TYPE mc_courses gauge\nmc_courses{status="completed"} 3\n',
  })
  async metrics(@Req() req: { user?: AuthUser; scraper?: boolean }, @Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    const registry = new Registry();
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });

    if (req.user && !req.scraper) await this.organizationMetrics(req.user.organizationId, registry);

    // What belongs to no organization.
    const depth = gauge('mc_queue_jobs', 'Jobs in each queue by state', ['queue', 'state']);
    for (const name of [...PHASE_QUEUES, QueueName.Webhooks]) {
      const counts = await this.queues.queue(name).getJobCounts(...JOB_STATES);
      for (const state of JOB_STATES) depth.set({ queue: name, state }, counts[state] ?? 0);
    }
    gauge('mc_workers_alive', 'Worker processes with a live heartbeat').set(await liveWorkers(this.redis, this.config.queuePrefix));

    res.header('content-type', registry.contentType);
    return `${await registry.metrics()}\n${await processRegistry.metrics()}`;
  }

  private async organizationMetrics(organizationId: string, registry: Registry): Promise<void> {
    const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
    const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
    const org = await this.scope.run(organizationId, async ({ metrics }) => ({
      courses: await metrics.coursesByStatus(),
      gates: await metrics.coursesAtGate(),
      spend: await metrics.spendByModelAndLabel(),
      month: await metrics.monthSpend(),
      alerts: await metrics.openAlertsByKind(),
      outbox: await metrics.pendingOutbox(),
    }));
    const byStatus = gauge('mc_courses', 'Courses of the organization by status', ['status']);
    for (const s of COURSE_STATUSES) byStatus.set({ status: s }, org.courses.find((c) => c.status === s)?.n ?? 0);
    gauge('mc_courses_awaiting_approval', 'Courses waiting at an approval gate').set(org.gates);
    // Calls and tokens only grow; spend does not (a re-price may lower it): a gauge.
    const calls = counter('mc_model_calls_total', 'Model calls by model and label (first_try, retry, fallback, repair, rerun)', ['model', 'label']);
    const tokens = counter('mc_model_tokens_total', 'Tokens by model and direction', ['model', 'direction']);
    const cost = gauge('mc_model_cost_usd', 'Spend on model calls in USD by model, as currently priced', ['model']);
    for (const r of org.spend) {
      calls.inc({ model: r.model, label: r.label }, Number(r.calls));
      tokens.inc({ model: r.model, direction: 'input' }, Number(r.input));
      tokens.inc({ model: r.model, direction: 'output' }, Number(r.output));
      cost.inc({ model: r.model }, r.cost);
    }
    gauge('mc_month_spend_usd', 'Spend of the current calendar month (UTC) in USD').set(org.month?.spent ?? 0);
    if (org.month?.budget !== null && org.month?.budget !== undefined) gauge('mc_month_budget_usd', 'Monthly model budget in USD').set(org.month.budget);
    const alerts = gauge('mc_alerts_open', 'Open stall alerts by kind', ['kind']);
    for (const a of org.alerts) alerts.set({ kind: a.kind }, a.n);
    gauge('mc_outbox_pending', 'Committed effects not yet carried out').set(org.outbox);
  }
}
