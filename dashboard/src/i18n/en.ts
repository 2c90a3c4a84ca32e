import englishMessages from 'ra-language-english';

export const en = {
  ...englishMessages,
  mc: {
    status: { idle: 'Idle', queued: 'Queued', generating: 'Generating', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled', awaiting: 'Awaiting approval' },
    stage: { pending: 'pending', active: 'running', completed: 'done', error: 'failed', awaiting: 'awaiting approval', skipped: 'skipped' },
    action: { start: 'Start generation', approve: 'Approve', comment: 'Comment' },
    eta: 'About %{time} left',
    notify: { started: 'Generation started', approved: 'Stage approved' },
  },
  resources: {
    courses: {
      name: 'Course |||| Courses',
      fields: {
        title: 'Title', description: 'Description', status: 'Status', percentage: 'Progress', currentStage: 'Stage',
        costUsd: 'Cost', updatedAt: 'Updated', createdAt: 'Created', language: 'Language', approvalGates: 'Approval gates',
        contentStyle: 'Content style', message: 'Message', q: 'Search',
      },
    },
  },
};
