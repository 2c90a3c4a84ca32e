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

// Prompts repeat (system prompts, the gateway and the provider counting the same
// messages): counts of texts up to 64k characters are remembered, 16M characters at most.
const counted = new Map<string, number>();
let countedChars = 0;

export function countTokens(text: string): number {
  if (!text) return 0;
  const known = counted.get(text);
  if (known !== undefined) return known;
  const n = enc().encode(text).length;
  if (text.length <= 65_536) {
    if (countedChars + text.length > 16_000_000) {
      counted.clear();
      countedChars = 0;
    }
    counted.set(text, n);
    countedChars += text.length;
  }
  return n;
}

/** OpenAI's accounting for chat input: 3 tokens per message plus 3 to prime the answer. */
export function countMessagesTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + 3 + countTokens(m.content), 3);
}
