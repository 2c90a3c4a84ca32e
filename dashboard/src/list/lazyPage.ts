// A page component loaded on first use: each resource's list, show and create are
// their own chunks, so the first screen carries only the shell.
import { lazy, type ComponentType } from 'react';

export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
