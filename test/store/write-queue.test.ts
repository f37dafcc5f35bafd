/**
 * The group-commit queue on its own, with a recording stand-in for the database transaction:
 * batching, per-write failure isolation, commit failure, drain, a bounded batch size, and writes
 * dropped unrun once their deadline has passed.
 */
import { describe, expect, it } from 'vitest';
import { createWriteQueue } from '../../src/store/write-queue.js';

/** A transaction stand-in: records each batch size, fails commits when told to (as SQLite can). */
function fakeDatabase() {
  const transactions: number[] = [];
  const committed: string[] = [];
  let staged: string[] | undefined;
  let failCommits = 0;
  return {
    transactions,
    committed,
    failNextCommits(n: number) {
      failCommits = n;
    },
    transaction<T>(fn: () => T): T {
      staged = [];
      try {
        const result = fn();
        transactions.push(staged.length);
        if (failCommits > 0) {
          failCommits -= 1;
          throw Object.assign(new Error('commit failed'), { code: 'SQLITE_IOERR' });
        }
        committed.push(...staged);
        return result;
      } finally {
        staged = undefined;
      }
    },
    write(value: string): string {
      if (staged === undefined) throw new Error('write outside a transaction');
      if (value.startsWith('bad'))
        throw Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' });
      staged.push(value);
      return value.toUpperCase();
    },
  };
}

const toError = (error: unknown) => new Error(`mapped: ${(error as Error).message}`);

describe('write queue', () => {
  it("does nothing in the caller's turn, then commits every queued write in one transaction", async () => {
    const db = fakeDatabase();
    const queue = createWriteQueue({ transaction: (fn) => db.transaction(fn) });
    const results = ['a', 'b', 'c'].map((v) => queue.push(() => db.write(v), toError));
    expect(db.transactions).toEqual([]);
    expect(queue.size).toBe(3);
    expect(await Promise.all(results)).toEqual(['A', 'B', 'C']);
    expect(db.transactions).toEqual([3]);
    expect(db.committed).toEqual(['a', 'b', 'c']);
  });

  it('drops unrun a write whose deadline passed before its batch started (a stalled thread)', async () => {
    const db = fakeDatabase();
    let now = 1_000;
    let flush: () => void = () => undefined;
    const queue = createWriteQueue({
      transaction: (fn) => db.transaction(fn),
      clock: () => now,
      schedule: (f) => (flush = f),
    });
    const expired = () => new Error('deadline passed');
    const late = queue.push(() => db.write('late'), toError, 1_500, expired);
    const inTime = queue.push(() => db.write('in-time'), toError, 5_000, expired);
    const unbounded = queue.push(() => db.write('unbounded'), toError);
    now = 2_000; // the thread was held (an fsync stall) past the first write's deadline
    flush();
    await expect(late).rejects.toThrow('deadline passed');
    expect(await Promise.all([inTime, unbounded])).toEqual(['IN-TIME', 'UNBOUNDED']);
    expect(db.committed).toEqual(['in-time', 'unbounded']);
  });

  it('rejects only the failing write: the batch is rolled back and retried write by write', async () => {
    const db = fakeDatabase();
    const queue = createWriteQueue({ transaction: (fn) => db.transaction(fn) });
    const settled = await Promise.allSettled(
      ['a', 'bad', 'c'].map((v) => queue.push(() => db.write(v), toError)),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('mapped: constraint');
    expect(db.committed).toEqual(['a', 'c']);
  });

  it('rejects every write of a batch whose commits fail, resolving none before a commit', async () => {
    const db = fakeDatabase();
    const queue = createWriteQueue({ transaction: (fn) => db.transaction(fn) });
    db.failNextCommits(3); // the batch, then each of the two writes alone
    const settled = await Promise.allSettled(
      ['a', 'b'].map((v) => queue.push(() => db.write(v), toError)),
    );
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(db.committed).toEqual([]);
    // The next write is unaffected.
    await expect(queue.push(() => db.write('d'), toError)).resolves.toBe('D');
  });

  it('splits a long queue into bounded batches and drains them all', async () => {
    const db = fakeDatabase();
    const queue = createWriteQueue({ transaction: (fn) => db.transaction(fn), maxBatch: 4 });
    const all = Array.from({ length: 10 }, (_, i) => queue.push(() => db.write(`v${i}`), toError));
    await queue.drain();
    expect(queue.size).toBe(0);
    expect(db.transactions).toEqual([4, 4, 2]);
    await expect(Promise.all(all)).resolves.toHaveLength(10);
    await expect(queue.drain()).resolves.toBeUndefined();
  });
});
