// Token counts from a real tokenizer (gpt-tokenizer, o200k_base: the same counts as
// tiktoken's), loaded once on first use. Special-token text in a prompt or a document
// ("<|endoftext|>") is counted as the ordinary text it is, never refused.
import type { ChatMessage } from './model.types';

interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

let encoding: Encoding | null = null;
const ORDINARY = { disallowedSpecial: new Set<string>() };

function enc(): Encoding {
  // The package's encodings are subpath exports, which this build's module resolution does not type.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  encoding ??= require('gpt-tokenizer/encoding/o200k_base') as Encoding;
  return encoding;
}

// Prompts repeat (system prompts, the gateway and the provider counting the same
// messages): counts of texts up to 64k characters are remembered, 16M characters at most.
const counted = new Map<string, number>();
let countedChars = 0;

export function countTokens(text: string): number {
  if (!text) return 0;
  const known = counted.get(text);
  if (known !== undefined) return known;
  const n = enc().countTokens(text, ORDINARY);
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
