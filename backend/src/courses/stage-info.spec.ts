import type { CourseRow } from '../repositories/tenant/courses.repository';
import { toStageInfo } from './courses.dto';

const step = (n: number, progress: number, status: string) => ({ stage: `stage_${n}`, progress, status });

describe('toStageInfo of a cancelled course', () => {
  const row = (stage5: { progress: number; status: string }) =>
    ({
      generation_status: 'cancelled',
      approval_gates: [],
      generation_progress: {
        percentage: 70,
        current_step: 5,
        current_stage: 'stage_5',
        has_documents: true,
        steps: [
          step(2, 100, 'completed'),
          step(3, 100, 'completed'),
          step(4, 100, 'completed'),
          step(5, stage5.progress, stage5.status),
          step(6, 0, 'pending'),
        ],
      },
    }) as unknown as CourseRow;

  it('keeps the stage it was cancelled in finished only when that stage had finished', () => {
    expect(toStageInfo(row({ progress: 100, status: 'completed' }), 'en').map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'pending',
    ]);
    expect(toStageInfo(row({ progress: 40, status: 'pending' }), 'en').map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'pending',
      'pending',
    ]);
  });

  it('does not call a stage finished because its progress rounds to 100 %', () => {
    // 99.6 % of its work: the progress shows 100, the stage did not finish.
    expect(toStageInfo(row({ progress: 100, status: 'pending' }), 'en')[3].status).toBe('pending');
  });
});
