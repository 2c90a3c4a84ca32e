import { badTextReason, findBadText } from './text';

describe('text Postgres cannot store', () => {
  it('finds NUL and unpaired surrogates, and lets real text through', () => {
    expect(badTextReason('a\u0000b')).toMatch(/NUL/);
    expect(badTextReason('a\ud800b')).toMatch(/unpaired surrogate/);
    expect(badTextReason('\udc00')).toMatch(/unpaired surrogate/);
    expect(badTextReason('end\ud83d')).toMatch(/unpaired surrogate/);
    expect(badTextReason('emoji 😀 and Кириллица')).toBeNull();
  });

  it('names the field, however deep, and keys too', () => {
    expect(findBadText({ title: 'ok', documents: [{ filename: 'a\u0000' }] })).toBe('documents.0.filename: must not contain NUL characters');
    expect(findBadText({ 'a\u0000': 1 }, 'body')).toMatch(/^body: a field name must not contain NUL/);
    expect(findBadText({ a: ['x', { b: 'fine' }] })).toBeNull();
  });
});
