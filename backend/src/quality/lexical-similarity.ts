// The documented fallback for stage 5's quality check when the provider offers no
// embeddings: cosine similarity of term-frequency vectors. Words are lower-cased
// letter runs (any script), stop words and words under 3 letters dropped, and a light
// stemming folds plurals and common endings, so "medians" meets "median". Counts are
// damped (1 + ln n) so that one repeated word does not decide the score.
//
// Calibration: raw term cosine sits far below an embedding cosine for texts on the same
// subject (a section and the analysis it was built from share their key terms, not
// their wording: 0.4-0.7 raw), so it is mapped onto the scale of seed 004's 0.75
// threshold with 1 - (1 - c)^2.5 — monotone, 0 stays 0 and 1 stays 1: a raw 0.5 becomes
// 0.82, a raw 0.3 0.59, unrelated text (raw < 0.1) stays under 0.25. Measured on the
// simulated courses of quality/calibration.spec.ts: a course against its own analysis
// 0.78-0.9, against another course's under 0.35. The score is stored as `lexical`.
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'that',
  'this',
  'from',
  'are',
  'was',
  'were',
  'you',
  'your',
  'into',
  'its',
  'their',
  'what',
  'when',
  'how',
  'why',
  'who',
  'which',
  'will',
  'can',
  'not',
  'but',
  'all',
  'any',
  'each',
  'more',
  'most',
  'than',
  'then',
  'there',
  'these',
  'those',
  'about',
  'over',
  'under',
  'between',
  'through',
  'use',
  'using',
  'used',
  'это',
  'как',
  'что',
  'для',
  'при',
  'или',
  'его',
  'она',
  'они',
  'так',
  'все',
  'уже',
  'был',
  'быть',
  'над',
  'под',
  'без',
  'после',
]);

function stem(word: string): string {
  for (const end of [
    'ations',
    'ation',
    'ings',
    'ing',
    'ies',
    'es',
    's',
    'ами',
    'ями',
    'ого',
    'его',
    'ому',
    'ему',
    'ых',
    'их',
    'ов',
    'ев',
    'ой',
    'ей',
    'ая',
    'яя',
    'ие',
    'ые',
    'ам',
    'ям',
    'ах',
    'ях',
    'а',
    'я',
    'ы',
    'и',
    'е',
    'о',
    'у',
    'ю',
  ]) {
    if (word.length - end.length >= 4 && word.endsWith(end)) return word.slice(0, -end.length);
  }
  return word;
}

export function termVector(text: string): Map<string, number> {
  const v = new Map<string, number>();
  for (const raw of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (raw.length < 3 || STOP.has(raw)) continue;
    const t = stem(raw);
    v.set(t, (v.get(t) ?? 0) + 1);
  }
  return v;
}

/** The damped term cosine, before calibration. */
export function rawCosine(a: string, b: string): number {
  const damp = (v: Map<string, number>) => new Map([...v].map(([t, n]) => [t, 1 + Math.log(n)] as const));
  const va = damp(termVector(a));
  const vb = damp(termVector(b));
  if (va.size === 0 || vb.size === 0) return 0;
  let dot = 0;
  for (const [t, n] of va) dot += n * (vb.get(t) ?? 0);
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, n) => s + n * n, 0));
  return Math.min(1, dot / (norm(va) * norm(vb)));
}

export const calibrate = (c: number) => 1 - (1 - c) ** 2.5;

export function lexicalSimilarity(a: string, b: string): number {
  return Math.round(calibrate(rawCosine(a, b)) * 1000) / 1000;
}
