import { describe, expect, it } from 'vitest';
import { countLeaves, filterJson, isEmptyBody, unpack } from './json';

describe('trace bodies', () => {
  it('unpacks JSON held in a string and spots empty bodies', () => {
    expect(unpack('{"a":1}')).toEqual({ a: 1 });
    expect(unpack('not json {')).toBe('not json {');
    expect(isEmptyBody(null)).toBe(true);
    expect(isEmptyBody({})).toBe(true);
    expect(isEmptyBody({ message: 'x' })).toBe(false);
  });
  it('keeps the matching leaves and the path to them', () => {
    const body = {
      messages: [
        { role: 'system', content: 'You classify' },
        { role: 'user', content: 'Topic: Rust' },
      ],
      model: 'm',
    };
    expect(filterJson(body, 'rust')).toEqual({ messages: [{ content: 'Topic: Rust' }] });
    expect(filterJson(body, 'model')).toEqual({ model: 'm' });
    expect(filterJson(body, 'nothing here')).toBeUndefined();
    expect(countLeaves(filterJson(body, 'o'))).toBe(5);
  });
});
