import { lexicalSimilarity, termVector } from './lexical-similarity';

describe('lexical similarity', () => {
  it('is 1 for the same text, 0 for nothing shared, and symmetric', () => {
    expect(lexicalSimilarity('Means and medians of samples', 'Means and medians of samples')).toBe(1);
    expect(lexicalSimilarity('variance of samples', 'kitchen recipes')).toBe(0);
    const a = 'confidence intervals for sample means';
    const b = 'sample means and their standard errors';
    expect(lexicalSimilarity(a, b)).toBe(lexicalSimilarity(b, a));
    expect(lexicalSimilarity(a, b)).toBeGreaterThan(0);
    expect(lexicalSimilarity(a, b)).toBeLessThan(1);
  });

  it('folds plurals and ignores stop words and case, in Russian too', () => {
    expect([...termVector('The Medians and the median')]).toEqual([['median', 2]]);
    expect(lexicalSimilarity('основы статистики', 'Статистика: основы')).toBeGreaterThan(0.9);
    expect(lexicalSimilarity('', 'anything')).toBe(0);
  });
});
