// The course page's charts, loaded lazily: the flight recorder — transitions, model
// calls coloured by label, reviewers' decisions and the running cost on one time axis
// (SVG) — and the cost by stage and model (recharts).
import { Box, Stack, Typography } from '@mui/material';
import { useLocale, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { COLORS } from '../overview/colors';
import { formatTime, formatUsd, phaseLabel, stageLabel } from '../i18n/words';
import type { Timeline } from '../types';
import { costPoints, LABEL_COLORS, timeAxis } from './flight';

const W = 1000;
const PAD = 12;
const LANES = { transition: 20, call: 50, approval: 80 } as const;
const COST_TOP = 100;
const COST_H = 60;

export function FlightRecorder({ timeline }: { timeline: Timeline }) {
  const translate = useTranslate();
  const locale = useLocale();
  const axis = timeAxis(timeline, W, PAD);
  const seconds = Math.round((axis.t1 - axis.t0) / 1000);
  return (
    <Box data-testid="flight-recorder">
      <svg viewBox={`0 0 ${W} ${COST_TOP + COST_H + 24}`} width="100%" role="img" aria-label={translate('app.course.tabs.flight')}>
        {Object.entries(LANES).map(([lane, y]) => (
          <g key={lane}>
            <line x1={PAD} x2={W - PAD} y1={y} y2={y} stroke="#ddd" />
            <text x={PAD} y={y - 6} fontSize={10} fill="#666">
              {translate(`app.course.flight.${lane}`)}
            </text>
          </g>
        ))}
        {timeline.events.map((e, i) => {
          const x = axis.x(e.at);
          const y = LANES[e.kind];
          const where = [e.stage ? stageLabel(e.stage, translate) : '', e.phase ? phaseLabel(e.phase, translate) : ''].filter(Boolean).join(' / ');
          const call = e.kind === 'call' ? e : null;
          const title = [
            formatTime(e.at, locale),
            call ? where : e.label,
            call?.model,
            call?.callLabel ? translate(`app.words.labels.${call.callLabel}`, { _: call.callLabel }) : '',
            call && call.durationMs !== null ? `${call.durationMs} ms` : '',
            call ? formatUsd(Number(call.costUsd), locale) : '',
          ]
            .filter(Boolean)
            .join(' · ');
          if (e.kind === 'call') {
            const w = Math.max(2, axis.x(Date.parse(e.at) + 0) - axis.x(Date.parse(e.at) - (e.durationMs ?? 0)));
            const bar = (
              <rect
                x={x - w}
                y={y - 5}
                width={w}
                height={10}
                fill={e.error ? '#b71c1c' : (LABEL_COLORS[e.callLabel ?? 'first_try'] ?? '#1976d2')}
                data-label={e.callLabel}
              >
                <title>{title}</title>
              </rect>
            );
            // Each bar opens its model call (the timeline names the trace when it knows it).
            return e.traceId ? (
              <a key={i} href={`#/traces/${e.traceId}/show`} aria-label={title} data-testid="flight-call-link">
                {bar}
              </a>
            ) : (
              <g key={i}>{bar}</g>
            );
          }
          return (
            <circle key={i} cx={x} cy={y} r={e.kind === 'approval' ? 6 : 3} fill={e.kind === 'approval' ? '#ed6c02' : '#555'} data-kind={e.kind}>
              <title>{title}</title>
            </circle>
          );
        })}
        <text x={PAD} y={COST_TOP - 4} fontSize={10} fill="#666">
          {translate('app.course.flight.cost')}
        </text>
        <polyline points={costPoints(timeline.cost, axis, COST_TOP, COST_H)} fill="none" stroke="#2e7d32" strokeWidth={2} data-testid="flight-cost" />
        <text x={W - PAD} y={COST_TOP + COST_H + 18} fontSize={10} fill="#666" textAnchor="end">
          {seconds} {translate('app.course.flight.seconds')}
        </text>
      </svg>
      <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
        {Object.entries(LABEL_COLORS).map(([label, color]) => (
          <Typography key={label} variant="caption">
            <Box component="span" sx={{ display: 'inline-block', width: 10, height: 10, bgcolor: color, mr: 0.5 }} />
            {label}
          </Typography>
        ))}
      </Stack>
    </Box>
  );
}

export function CostByStageModel({ rows }: { rows: Timeline['costByStageModel'] }) {
  const translate = useTranslate();
  const locale = useLocale();
  const usd = (v: unknown) => formatUsd(Number(v), locale);
  if (rows.length === 0) return <Typography color="text.secondary">{translate('app.course.noCost')}</Typography>;
  const models = [...new Set(rows.map((r) => r.model))];
  const byStage = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    const p = byStage.get(r.stage) ?? { stage: stageLabel(r.stage, translate) };
    p[r.model] = Number(r.costUsd);
    byStage.set(r.stage, p);
  }
  return (
    <div style={{ width: '100%', height: 260 }} data-testid="course-cost-chart">
      <ResponsiveContainer>
        <BarChart data={[...byStage.values()]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="stage" />
          <YAxis tickFormatter={usd} width={80} />
          <Tooltip formatter={usd} />
          <Legend />
          {models.map((m, i) => (
            <Bar key={m} dataKey={m} stackId="c" fill={COLORS[i % COLORS.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export default function CourseFlight({ timeline, part }: { timeline: Timeline; part: 'flight' | 'cost' }) {
  return part === 'flight' ? <FlightRecorder timeline={timeline} /> : <CostByStageModel rows={timeline.costByStageModel} />;
}
