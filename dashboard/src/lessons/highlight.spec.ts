import { describe, expect, it } from 'vitest';
import { highlight } from './highlight';

describe('highlight', () => {
  it('finds keywords, strings, tags and comments and keeps every character', () => {
    const src = `import React from 'react';\n// hi\nexport default function Lesson() { return <h1 className="x">Hi {1}</h1>; }`;
    const tokens = highlight(src);
    expect(tokens.map((t) => t.text).join('')).toBe(src);
    const of = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(of('keyword')).toEqual(['import', 'from', 'export', 'default', 'function', 'return']);
    expect(of('string')).toEqual(["'react'", '"x"']);
    expect(of('comment')).toEqual(['// hi']);
    expect(of('tag')).toEqual(['<h1', '</h1']);
    expect(of('number')).toEqual(['1']);
  });

  it('keeps markup in the source as plain text tokens', () => {
    const tokens = highlight('const s = "<img src=x onerror=alert(1)>";');
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe('"<img src=x onerror=alert(1)>"');
  });
});
