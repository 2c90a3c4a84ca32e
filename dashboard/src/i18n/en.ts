// English. App keys are grouped by resource (resources.courses.*), as react-admin reads them.
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { gatesEn } from './gates.en';
import { pagesEn, wordsEn } from './pages.en';

export const en: TranslationMessages = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: { ...englishMessages.ra.auth, username: 'Email' },
  },
  app: {
    // gate decisions, the inbox, routing, bulk actions (gates.en.ts)
    gates: gatesEn,
    ...pagesEn,
    words: wordsEn,
    password: {
      title: 'Change your password', explain: 'You signed in as %{email} with a password that must be changed before you can continue.',
      current: 'Current password', new: 'New password', repeat: 'New password again', submit: 'Change password',
      rules: 'At least 12 characters, not a common password, not your e-mail.', mismatch: 'The two new passwords differ.',
    },
    costs: {
      badRange: 'The start must be on or before the end, at most two years apart.', title: 'Costs', from: 'From', to: 'To', groupBy: 'Group by', csv: 'Export CSV', total: 'Total', calls: 'calls', tokens: 'Tokens', cost: 'Cost',
      groups: { day: 'Day', model: 'Model', stage: 'Stage', course: 'Course', label: 'Label', organization: 'Organization' },
      topByCost: 'The %{shown} most expensive of %{total} rows; the CSV export has all of them.',
    },
    reconciliation: {
      title: 'Invoice reconciliation', month: 'Month', format: 'File format', chooseFile: 'Choose the usage export (CSV)', run: 'Reconcile',
      help: "Upload a provider's usage export for a month: OpenRouter's activity CSV, or a CSV with the columns model,day,input_tokens,output_tokens,cost. Each model and day is compared with the costs our traces recorded.",
      formats: { auto: 'Detect', openrouter: 'OpenRouter activity export', generic: 'model,day,input_tokens,output_tokens,cost' },
      recorded: 'Recorded', invoice: 'Invoice', variance: 'Variance', day: 'Day', model: 'Model', status: 'Status', traces: 'Traces',
      summary: '%{lines} lines read as %{format}; %{cells} model-days, %{mismatched} not matching',
      unmatched: 'Models the catalog does not know: %{models}',
      statuses: { match: 'Matches', over: 'Invoice higher', under: 'Invoice lower', not_recorded: 'Not recorded by us', not_invoiced: 'Not on the invoice' },
    },
    name: 'Mission Control',
    prices: { title: 'Model prices, USD per 1M tokens', input: 'Input', output: 'Output', saved: 'Price of %{model} saved', none: 'No price in this organization: calls are refused', add: 'Add price' },
    queues: { title: 'Bull Board' },
    alerts: { course_progress_stalled: 'A course stopped moving', job_without_heartbeat: 'A running job lost its worker', queue_without_consumer: 'A queue has waiting jobs and no worker', since: 'since %{time}' },
    overview: {
      title: 'Overview', generating: 'Generating', queued: 'Queued', awaiting: 'Awaiting approval', failed24h: 'Failed in 24 h',
      costToday: 'Cost today', costMonth: 'Cost this month', costByDay: 'Cost by day and model (30 days)', tokensByStage: 'Tokens by stage (30 days)',
      stageDurations: 'Stage duration p50 / p95, seconds', inputTokens: 'Input', outputTokens: 'Output',
    },
    approvals: {
      title: 'Approvals', empty: 'No course is waiting for a reviewer.', waiting: 'waiting %{time}', due: 'SLA until %{at}', overdue: 'SLA passed %{at}',
      output: 'What the stage produced (JSON)', previous: 'A previous attempt was rejected: %{reasons}', diff: 'Changes since the rejected attempt (%{count} lines)',
      reject: 'Reject', rejectTitle: 'Reject stage %{stage} of “%{title}”', action: 'Then', rerun: 'Run the stage again', cancel: 'Cancel the course', rejected: 'Stage %{stage} rejected',
      budgetGate: 'Budget gate: projected %{projected} of a %{budget} budget (%{spent} spent so far)', approveBudget: 'Approve the spend', declineBudget: 'Decline (cancel the course)', budgetEmpty: 'No course is waiting at a budget gate.',
      reasons: { too_shallow: 'Too shallow', wrong_audience: 'Wrong audience', off_topic: 'Off topic', factual_errors: 'Factual errors', poor_structure: 'Poor structure', other: 'Other' },
    },
    course: {
      tabs: { overview: 'Overview', flight: 'Flight recorder', traces: 'Model calls', lessons: 'Lessons', history: 'History' },
      costChart: 'Cost by stage and model', noCost: 'No model calls yet.', phase: 'Phase',
      confirm: 'Confirm: %{action} “%{title}”?',
      history: { id: '#', at: 'At', event: 'Event', transition: 'From → to', actor: 'Actor', where: 'Stage / phase', percentage: '%', run: 'Run', reason: 'Reason' },
      flight: { transition: 'Transitions', call: 'Model calls', approval: 'Decisions', cost: 'Cost so far', seconds: 's since start' },
    },
    live: { on: 'Live updates on', off: 'Live updates off: reconnecting' },
    roles: { admin: 'Administrator', ops: 'Operations', reviewer: 'Reviewer', finance: 'Finance' },
  },
  resources: {
    jobs: {
      name: 'Job |||| Queues',
      fields: {
        state: 'State', courseTitle: 'Course', stage: 'Stage', phase: 'Phase', attempt: 'Attempt', ageSeconds: 'Age', error: 'Error', worker: 'Worker',
        createdAt: 'Created', q: 'Search', stuck: 'Stuck', actions: 'Actions',
      },
      states: { waiting: 'Waiting', active: 'Running', delayed: 'Waiting to retry', failed: 'Failed', missing: 'Missing', completed: 'Completed' },
      stuck: 'Stuck', stuckOnly: 'Stuck only', notStuck: 'Not stuck', superseded: 'Run %{run}, superseded',
      stuckReasons: {
        no_worker: 'Running, but no live worker reports it: its worker died; the queue takes it back when its lock lapses',
        no_consumer: 'Waiting, and no live worker consumes this queue',
        over_time: 'Running for longer than a course may go without moving',
        no_job: 'The course waits for this job, and no queue holds it; the reconciler puts it back',
      },
      retry: 'Retry', retried: 'Retry started',
    },
    lessons: {
      statuses: { queued: 'Queued', generating: 'Generating', generated: 'Generated', failed: 'Failed' },
      name: 'Lesson |||| Lessons',
      noSource: 'No source yet.',
      fields: { title: 'Title', courseId: 'Course', ordinal: 'No.', status: 'Status', attempts: 'Attempts', error: 'Error' },
    },
    traces: {
      name: 'Trace |||| Traces',
      fields: {
        courseTitle: 'Course', lessonId: 'Lesson', 
        createdAt: 'At', stage: 'Stage', phase: 'Phase', modelUsed: 'Model', provider: 'Provider', label: 'Label',
        tokensUsed: 'Tokens', inputTokens: 'Input tokens', outputTokens: 'Output tokens', costUsd: 'Cost', durationMs: 'Duration, ms',
        hasError: 'Error', attempt: 'Attempt', stepName: 'Step', courseId: 'Course', inputData: 'Input', outputData: 'Output', errorData: 'Error',
        otelTraceId: 'OpenTelemetry trace', openInTracer: 'Open in the tracer',
      },
    },
    courses: {
      name: 'Course |||| Courses',
      fields: {
        title: 'Title',
        description: 'Description',
        language: 'Language',
        status: 'Status',
        percentage: 'Progress',
        currentStage: 'Stage',
        costUsd: 'Cost',
        budgetUsd: 'Budget, USD',
        approvalGates: 'Approval gates',
        createdAt: 'Created',
        updatedAt: 'Updated',
        message: 'Message',
        errorMessage: 'Error',
        stage: 'Stage', createdFrom: 'Created from', createdTo: 'Created until',
        q: 'Search', qualityLow: 'Low quality', contentStyle: 'Content style',
      },
      status: {
        idle: 'Idle',
        queued: 'Queued',
        generating: 'Generating',
        completed: 'Completed',
        failed: 'Failed',
        cancelled: 'Cancelled',
        awaiting: 'Awaiting approval · stage %{stage}',
      },
      stages: {
        2: 'Document processing',
        3: 'Summarization',
        4: 'Analysis',
        5: 'Structure generation',
        6: 'Lesson content',
        status: { pending: 'Pending', active: 'Running', completed: 'Done', error: 'Failed', awaiting: 'Awaiting approval', skipped: 'Skipped' },
      },
      languages: { en: 'English', ru: 'Russian' },
      actions: { retry: 'Retry', cancel: 'Cancel', restart: 'Restart from scratch', start: 'Start generation', approve: 'Approve stage %{stage}', comment: 'Comment for the record' },
      notifications: { retry: 'Retry started', cancel: 'Course cancelled', restart: 'Course restarted', started: 'Generation started', approved: 'Stage %{stage} approved' },
      bulk: { confirm: '%{action}: %{count} selected course(s)?', done: '%{done} of %{total} done. %{reason}' },
      eta: 'About %{time} left',
      budget_help: 'When the projected cost to complete passes it, the course waits before its lessons for finance to approve',
      gates_help: 'Stages after which a reviewer must approve before the pipeline goes on',
      quality: {
        low: 'Low quality',
        low_score: 'Low quality %{score}',
        detail: 'Quality %{score} below the threshold %{threshold} (%{method})',
        methods: { lexical: 'lexical similarity', embedding: 'embeddings' },
      },
      style: {
        title: 'Content style: %{name}',
        tone: 'Tone', structure: 'Structure', parts: 'Lesson parts', exercises: 'Exercise types', example: 'Example',
        exercise_types: { self_assessment: 'Self-check', case_study: 'Case study', hands_on: 'Hands-on', discussion: 'Discussion', quiz: 'Quiz', simulation: 'Simulation', reflection: 'Reflection' },
      },
      timeline: 'Stages',
    },
  },
};
