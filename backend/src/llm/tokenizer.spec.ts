import { countMessagesTokens, countTokens } from './tokenizer';

describe('token counts (o200k_base)', () => {
  it('counts as tiktoken does, in English and Russian', () => {
    // The counts tiktoken's o200k_base gives for the same texts.
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Привет, мир!')).toBe(5);
    expect(countTokens('Course 12 on geology: plate tectonics and the rock cycle.')).toBe(14);
    expect(countTokens('')).toBe(0);
  });

  it('counts special-token text in a prompt or document as ordinary text instead of refusing it', () => {
    expect(countTokens('<|endoftext|>')).toBe(7);
    expect(countTokens('a <|endoftext|> b')).toBe(9);
  });

  it('adds the chat accounting: 3 per message and 3 to prime the answer', () => {
    expect(
      countMessagesTokens([
        { role: 'system', content: 'hello world' },
        { role: 'user', content: 'Привет, мир!' },
      ]),
    ).toBe(3 + (3 + 2) + (3 + 5));
  });

  it('gives the same count for a remembered text', () => {
    const text = 'A long lesson body. '.repeat(500);
    const first = countTokens(text);
    expect(first).toBeGreaterThan(1000);
    expect(countTokens(text)).toBe(first);
  });
});
