/**
 * Group commit for statement writes (issue #17): concurrent small requests share one transaction, so
 * one COMMIT (one WAL flush) and one INSERT serve many of them.
 *
 * There is no timer. The first request of an idle period starts a group of its own at once; requests
 * that arrive while `maxInFlight` groups are committing wait in the queue and form the next group as
 * soon as one of them ends. The wait is therefore bounded by one commit in flight, and a lone request
 * never waits at all.
 */

/** How one item of a group ended: its result, or the error that fails only its own request. */
export type GroupOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface StatementBatcherOptions<T, R> {
  /**
   * Stores a group in one transaction and resolves after COMMIT (or after giving up), with one outcome
   * per item in order. A rejection fails every item of the group.
   */
  commit(items: T[]): Promise<GroupOutcome<R>[]>;
  /** Most statements in one group (a request larger than this still forms a group on its own). */
  maxStatements: number;
  /** Groups committing at the same time; each holds one database connection. */
  maxInFlight: number;
}

export interface StatementBatcher<T, R> {
  /** Queues `item` (carrying `statements` statements); resolves or rejects with its own outcome. */
  submit(item: T, statements: number): Promise<R>;
  /** Requests waiting for the next group, and groups committing now (for health checks and tests). */
  state(): { queued: number; committing: number };
}

interface Waiting<T, R> {
  item: T;
  statements: number;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export function createStatementBatcher<T, R>(options: StatementBatcherOptions<T, R>): StatementBatcher<T, R> {
  const queue: Waiting<T, R>[] = [];
  let inFlight = 0;

  /** The longest prefix of the queue within maxStatements (at least one request). */
  function takeGroup(): Waiting<T, R>[] {
    let count = queue[0]!.statements;
    let n = 1;
    while (n < queue.length && count + queue[n]!.statements <= options.maxStatements) {
      count += queue[n]!.statements;
      n++;
    }
    return queue.splice(0, n);
  }

  async function run(group: Waiting<T, R>[]): Promise<void> {
    try {
      const outcomes = await options.commit(group.map((w) => w.item));
      group.forEach((w, i) => {
        const outcome = outcomes[i];
        if (!outcome) w.reject(new Error('the group commit returned no outcome for a request'));
        else if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      });
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  }

  function pump(): void {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const group = takeGroup();
      inFlight++;
      void run(group).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    submit(item, statements) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, statements, resolve, reject });
        pump();
      });
    },
    state: () => ({ queued: queue.length, committing: inFlight }),
  };
}
