// English words for the machine's identifiers and for the budgets, prices, traces,
// lessons and not-found pages (merged into en.ts under `app`).
export const wordsEn = {
  stageN: 'Stage %{n}',
  stageNamed: 'Stage %{n} · %{name}',
  awaitingAt: '%{stage}: awaiting approval',
  notAllowed: '%{action} is not possible while the course is at “%{state}”.',
  otherGate: 'The course waits at %{waiting}, not at %{asked}.',
  labels: { first_try: 'First try', retry: 'Retry', fallback: 'Fallback model', repair: 'JSON repair', rerun: 'Rerun' },
  states: {
    idle: 'Not started', queued: 'Queued', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled',
  },
  events: {
    START: 'Started', PHASE_STARTED: 'Step started', PROGRESS: 'Progress', PHASE_DONE: 'Step done', PHASE_FAILED: 'Step failed',
    APPROVE: 'Approved', REJECT: 'Rejected', RETRY: 'Retried', CANCEL: 'Cancelled', RESTART: 'Restarted from scratch', ESCALATE: 'Escalated',
  },
  actions: {
    START: 'Starting', APPROVE: 'Approving', REJECT: 'Rejecting', RETRY: 'Retrying', CANCEL: 'Cancelling', RESTART: 'Restarting', ESCALATE: 'Escalating',
    PHASE_DONE: 'Finishing a step', PHASE_FAILED: 'Failing a step', PHASE_STARTED: 'Starting a step', PROGRESS: 'Reporting progress',
  },
  actors: { user: 'Person', worker: 'Worker', system: 'System' },
  phases: {
    document: 'Extracting text', summarize: 'Summarizing documents', phase_1_classifier: 'Classifying the topic', phase_2_scope: 'Scoping the course',
    phase_3_expert: 'Expert analysis', phase_4_synthesis: 'Synthesis', phase_5_assembly: 'Assembling the analysis', metadata: 'Course metadata',
    sections: 'Sections', validation: 'Quality check', saving: 'Saving results', lessons: 'Writing lessons', lesson: 'Writing a lesson',
  },
  notFound: { course: 'This course does not exist (or is not in your organization).', lesson: 'This lesson does not exist.', trace: 'This model call does not exist.', model: 'This model is not in the catalog.', job: 'This job does not exist.' },
  calls: 'call|calls',
  lessonsCount: 'lesson|lessons',
  sectionsCount: 'section|sections',
  lessonNo: 'Lesson %{n}',
  seconds: 's',
};

export const pagesEn = {
  notFound: { title: 'Page not found', course: 'There is no course at this address. It may have been deleted, or the link is wrong.', page: 'There is nothing at this address.', back: 'Go to the courses' },
  budgets: {
    title: 'Budgets', month: 'Month %{month}', spent: 'Spent', budget: 'Monthly budget', none: 'No monthly budget is set: spend is not limited.', percent: '%{percent}% of the budget',
    thresholds: 'Alert thresholds', threshold: 'Threshold', amount: 'Amount', crossedAt: 'Crossed', notCrossed: 'Not yet',
    edit: 'Edit budget', budgetInput: 'Monthly budget, USD (empty: no budget)', thresholdsInput: 'Thresholds, % of the budget, comma-separated', save: 'Save budget', saved: 'Budget saved',
    badThresholds: 'Thresholds must be whole percentages from 1 to 1000, each once.',
  },
  priceForm: {
    edit: 'Change price', title: 'New price for %{model}', input: 'Input, USD per 1M tokens', output: 'Output, USD per 1M tokens', effective: 'Takes effect',
    now: 'Now', later: 'At a later moment', effectiveAt: 'Effective from', current: 'Price now: %{input} in / %{output} out',
    preview: 'Preview re-pricing', previewTitle: 'What the last 30 days would have cost at this price', previewNote: 'A dry run: nothing is changed. A new price applies to later calls only; past calls keep what they were charged.',
    before: 'Charged', after: 'At the new price', delta: 'Difference', calls: 'Calls', confirm: 'Save the new price', confirmText: 'Save %{input} in / %{output} out per 1M tokens for %{model}, effective %{when}?',
    invalid: 'Enter a price from 0 to 10,000.', pastDate: 'The date must not be in the past.', noPreview: 'No calls of this model in the last 30 days.',
  },
  traces: { json: { search: 'Search in %{name}', empty: 'Nothing matches.', matches: '%{count} matching lines' }, course: 'Course', lesson: 'Lesson', openTrace: 'Open the model call' },
  lessons: { title: 'Lesson %{n} · %{title}', course: 'Course' },
  diff: { title: 'What changed since the rejected attempt', added: 'Added', removed: 'Removed', changed: 'Changed', section: 'Section %{n}', lesson: 'Lesson %{n}', unchanged: 'No changes in the structure.', field: '%{field}: %{from} → %{to}' },
};
