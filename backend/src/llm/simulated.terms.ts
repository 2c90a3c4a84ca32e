// What the simulated provider reads out of a prompt to write about the course's own
// subject: the subject and the audience named in the title ("PostgreSQL for application
// developers"), the topics listed in the description ("indexes, transactions and
// replication"), the headings and the most frequent terms of the documents, and the
// terms of a reviewer's comment. Deterministic, no model involved.

const EDGE_STOP = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'for',
  'with',
  'how',
  'what',
  'why',
  'about',
  'from',
  'into',
  'your',
  'our',
  'its',
  'their',
  'this',
  'that',
  'these',
  'those',
  'is',
  'are',
  'be',
  'by',
  'at',
  'as',
  'it',
  'we',
  'you',
  'more',
  'less',
  'some',
  'all',
  'и',
  'или',
  'в',
  'во',
  'на',
  'для',
  'с',
  'со',
  'о',
  'об',
  'по',
  'к',
  'от',
  'из',
  'как',
  'что',
  'это',
  'а',
  'но',
  'не',
]);
const GENERIC = new Set([
  'intro',
  'introduction',
  'basics',
  'course',
  'fundamentals',
  'essentials',
  'learn',
  'learning',
  'guide',
  'beginners',
  'overview',
  'primer',
  'part',
  'lesson',
  'module',
  'needs',
  'need',
  'should',
  'please',
  'add',
  'too',
  'very',
  'much',
  'many',
  'also',
  'like',
  'make',
  'less',
  'more',
  'введение',
  'основы',
  'курс',
  'урок',
  'нужно',
  'надо',
  'больше',
  'меньше',
  'добавить',
  'слишком',
  'очень',
  'также',
]);
const WORD_STOP = new Set([
  ...EDGE_STOP,
  ...GENERIC,
  'using',
  'use',
  'used',
  'can',
  'will',
  'not',
  'but',
  'than',
  'then',
  'there',
  'when',
  'which',
  'who',
  'has',
  'have',
  'was',
  'were',
  'each',
  'such',
  'other',
  'one',
  'two',
  'also',
]);

const words = (s: string): string[] => [...(s.match(/[\p{L}\p{N}][\p{L}\p{N}+#.'-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu) ?? [])];

/** A phrase without stop words at its ends; empty when nothing is left. */
export function trimPhrase(phrase: string): string {
  const w = words(phrase);
  while (w.length && (EDGE_STOP.has(w[0].toLowerCase()) || GENERIC.has(w[0].toLowerCase()))) w.shift();
  while (w.length && (EDGE_STOP.has(w[w.length - 1].toLowerCase()) || GENERIC.has(w[w.length - 1].toLowerCase()))) w.pop();
  return w.join(' ');
}

/** "PostgreSQL for application developers" → subject "PostgreSQL", audience "application developers". */
export function subjectOf(title: string): { subject: string; audience: string | null } {
  const t = title.replace(/\s+/g, ' ').trim();
  const m = /^(.*?)\s+(?:for|для)\s+(.+)$/iu.exec(t);
  const core = trimPhrase((m ? m[1] : t).replace(/^(intro(duction)? to|basics of|getting started with|learn(ing)?|введение в|основы)\s+/iu, ''));
  const audience = m ? trimPhrase(m[2]) : '';
  return { subject: core || t, audience: audience.length >= 3 ? audience : null };
}

/** The topics a text lists: its phrases split at commas, "and", semicolons and full stops. */
export function listedTopics(text: string): string[] {
  return text
    .split(/[,;:.!?()\n]+|\s+(?:and|or|и|или|—|-)\s+/iu)
    .map((p) => trimPhrase(p))
    .filter((p) => p.length >= 3 && words(p).length <= 5);
}

/** Markdown (#) and HTML (h1-h3) headings, and short title-like lines. */
export function headingsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<h[1-3][^>]*>([^<]{3,120})<\/h[1-3]>/giu)) out.push(m[1].trim());
  for (const line of text.split(/\n/)) {
    const md = /^\s{0,3}#{1,3}\s+(.{3,120}?)\s*#*\s*$/u.exec(line);
    if (md) out.push(md[1].trim());
  }
  return dedupe(out.map(trimPhrase).filter((h) => h.length >= 3));
}

/** The most frequent content words (and repeated two-word phrases) of a text, original casing. */
export function keyTerms(text: string, n: number): string[] {
  const toks = words(text.replace(/<[^>]+>/g, ' '));
  const count = new Map<string, { n: number; form: string }>();
  const bump = (k: string, form: string, by = 1) => {
    const e = count.get(k);
    count.set(k, { n: (e?.n ?? 0) + by, form: e?.form ?? form });
  };
  for (let i = 0; i < toks.length; i++) {
    const w = toks[i];
    const lw = w.toLowerCase();
    if (lw.length < 4 || WORD_STOP.has(lw) || /^\d+$/.test(lw)) continue;
    bump(lw, w);
    const next = toks[i + 1];
    if (next && next.length >= 4 && !WORD_STOP.has(next.toLowerCase())) bump(`${lw} ${next.toLowerCase()}`, `${w} ${next}`, 0.75);
  }
  return [...count.values()]
    .filter((e) => e.n >= 1.5)
    .sort((a, b) => b.n - a.n || a.form.localeCompare(b.form))
    .slice(0, n)
    .map((e) => e.form);
}

export function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = i.toLowerCase();
    if (!i || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What a reviewer's comment asks for: the topics it names ("needs more on replication and failover"). */
export function commentTopics(comment: string): string[] {
  const asked = /(?:more (?:on|about)|cover|include|add|missing|lacks?|about|больше о|добавить|не хватает)\s+(.+)/iu.exec(comment);
  return dedupe(listedTopics(asked ? asked[1] : comment)).slice(0, 4);
}

/** An audience the comment names ("for DBAs", "aimed at managers"), if any. */
export function commentAudience(comment: string): string | null {
  const m = /(?:for|aimed at|audience(?: is| should be)?|для)\s+([\p{L}\s-]{3,60}?)(?:[,.;!?]|$)/iu.exec(comment);
  const audience = m ? trimPhrase(m[1]) : '';
  return audience.length >= 3 ? audience : null;
}
