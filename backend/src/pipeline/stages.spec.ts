import { effectiveWeights, nextStage, overallPercentage, phaseJobId, stagesFor } from './stages';

describe('stages', () => {
  it('spreads the weight of skipped stages over the rest', () => {
    const w = effectiveWeights(false);
    expect(Object.keys(w)).toEqual(['4', '5', '6']);
    expect((w[4] ?? 0) + (w[5] ?? 0) + (w[6] ?? 0)).toBeCloseTo(100);
    expect(w[4]).toBeCloseTo(25);
    expect(effectiveWeights(true)[2]).toBe(10);
  });

  it('computes an integer percentage that reaches 100 only when every stage is done', () => {
    expect(overallPercentage(false, { 4: 1, 5: 1, 6: 0.99 })).toBeLessThan(100);
    expect(overallPercentage(false, { 4: 1, 5: 1, 6: 1 })).toBe(100);
    expect(overallPercentage(true, { 2: 1, 3: 0.5 })).toBe(15);
  });

  it('orders stages and skips 2-3 without documents', () => {
    expect(stagesFor(false)).toEqual([4, 5, 6]);
    expect(nextStage(3, true)).toBe(4);
    expect(nextStage(6, true)).toBeNull();
  });

  it('makes job ids without colons', () => {
    expect(phaseJobId('c', 2, 5, 'sections', 3)).toBe('c-r2-s5-sections-3');
  });
});
