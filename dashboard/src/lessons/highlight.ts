// A small TSX highlighter for the lesson page: comments, strings and template
// literals, numbers, keywords, JSX tag names and identifiers. Tokens only: the page
// renders them as text in coloured spans (never as HTML).

export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'tag' | 'type' | 'punct' | 'text';
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'import',
  'from',
  'export',
  'default',
  'function',
  'return',
  'const',
  'let',
  'var',
  'if',
  'else',
  'for',
  'while',
  'of',
  'in',
  'new',
  'class',
  'extends',
  'interface',
  'type',
  'as',
  'async',
  'await',
  'true',
  'false',
  'null',
  'undefined',
  'this',
  'typeof',
]);

const RULES: [TokenKind, RegExp][] = [
  ['comment', /\/\/[^\n]*|\/\*[\s\S]*?\*\//y],
  ['string', /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/y],
  ['number', /\b\d+(?:\.\d+)?\b/y],
  ['tag', /<\/?[A-Za-z][\w.]*/y],
  ['text', /[A-Za-z_$][\w$]*/y],
  ['punct', /[{}()[\];,.>=+\-*:?!&|]+/y],
  ['text', /\s+|./y],
];

export function highlight(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    for (const [kind, re] of RULES) {
      re.lastIndex = i;
      const m = re.exec(source);
      if (!m || m[0].length === 0) continue;
      let k: TokenKind = kind;
      if (kind === 'text' && KEYWORDS.has(m[0])) k = 'keyword';
      else if (kind === 'text' && /^[A-Z]/.test(m[0])) k = 'type';
      const last = out[out.length - 1];
      if (last && last.kind === k && (k === 'text' || k === 'punct')) last.text += m[0];
      else out.push({ kind: k, text: m[0] });
      i += m[0].length;
      break;
    }
  }
  return out;
}
