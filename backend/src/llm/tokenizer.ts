// Token counts from a real tokenizer (js-tiktoken, o200k_base), loaded once on first use.
import { Tiktoken } from 'js-tiktoken/lite';
import type { ChatMessage } from './model.types';

let encoder: Tiktoken | null = null;

function enc(): Tiktoken {
  if (!encoder) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ranks = require('js-tiktoken/ranks/o200k_base');
    encoder = new Tiktoken(ranks.default ?? ranks);
  }
  return encoder;
}

export function countTokens(text: string): number {
  return text ? enc().encode(text).length : 0;
}

/** OpenAI's accounting for chat input: 3 tokens per message plus 3 to prime the answer. */
export function countMessagesTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + 3 + countTokens(m.content), 3);
}
