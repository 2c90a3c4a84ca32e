// Streaming out of one tenant transaction. `TenantScope.run` ends its transaction when
// its callback settles, but a streamed read (a cursor fetched batch by batch while the
// client downloads) must keep it open between batches. `streamInScope` runs the
// callback so that it waits for the reader: each item the reader asks for is fetched
// inside the transaction and handed out; when the reader has read everything, or
// stops early (the client went away), the source generator is closed and the
// transaction commits, giving its connection back before the reader's `return()`
// resolves.
import { DbUnavailableError } from '../db-errors';
import type { TenantRepositories, TenantScope } from './tenant-scope';

interface Slot<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function slot<T>(): Slot<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The items of `open(repos)`, read in one transaction of `organizationId`'s scope, one per pull. */
export async function* streamInScope<T>(
  scope: TenantScope,
  organizationId: string,
  open: (repos: TenantRepositories) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  // The reader asks (true: the next item, false: stop) and the transaction answers;
  // each side makes a fresh slot for what it consumes, right after consuming it.
  let ask = slot<boolean>();
  let answer = slot<IteratorResult<T, unknown>>();
  let begun = false;
  let finished = false;

  const done = scope.run(organizationId, async (repos) => {
    // Items already handed out cannot be taken back: no rerun after a conflict.
    if (begun) throw new DbUnavailableError('the database was busy with conflicting changes; try again');
    begun = true;
    const source = open(repos)[Symbol.asyncIterator]();
    let exhausted = false;
    try {
      for (;;) {
        const more = await ask.promise;
        ask = slot();
        if (!more) return;
        const next = await source.next();
        if (next.done) exhausted = true;
        const reply = answer;
        reply.resolve(next);
        if (next.done) return;
      }
    } finally {
      if (!exhausted) await source.return?.();
    }
  });
  // The reader observes a failure through `ended` (below); this keeps it from being unhandled meanwhile.
  done.catch(() => undefined);
  const ended = done.then(() => {
    throw new Error('the streamed read ended before its last item');
  });
  ended.catch(() => undefined);

  try {
    for (;;) {
      ask.resolve(true);
      const next = await Promise.race([answer.promise, ended]);
      answer = slot();
      if (next.done) break;
      yield next.value;
    }
    finished = true;
    await done;
  } finally {
    if (!finished) {
      ask.resolve(false);
      await done.catch(() => undefined);
    }
  }
}
