/**
 * Exponential back-off after failed authentications, per subject (a credential key, a client address).
 * The interface is asynchronous so that a store shared by several app servers (PostgreSQL, Redis) can
 * replace the in-process one; until then each process counts on its own, so N servers allow N times
 * the attempts.
 */
export interface FailureLimiter {
  /** Seconds until every one of `subjects` may try again (0: none is locked). */
  retryAfterSeconds(subjects: string[]): Promise<number>;
  /** Counts a failure against each subject; from the locking one on, each locks it twice as long as the last. */
  recordFailure(subjects: string[]): Promise<void>;
  /** Forgets the subject's failures (a correct secret). */
  recordSuccess(subject: string): Promise<void>;
}

export interface BackoffPolicy {
  /** The failure that locks the subject for the first time (5: the fifth wrong try). */
  lockAfterFailures: number;
  /** Length of the first lock, ms; each further failure doubles it. */
  baseLockMs: number;
  /** Longest lock, ms. */
  maxLockMs: number;
  /** A subject whose last failure is this old (and whose lock has ended) starts again from zero, ms. */
  forgetAfterMs: number;
}

interface FailureRecord {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Subjects kept at most; the oldest are dropped first, so memory stays bounded under a flood. */
const MAX_SUBJECTS = 100_000;

/**
 * The in-process limiter. `policies` maps a subject prefix (the text before the first ':') to its
 * policy, e.g. `key:` locks a credential sooner than `address:` locks a (possibly shared) address.
 */
export function createMemoryFailureLimiter(
  policies: Record<string, BackoffPolicy>,
  now: () => number = Date.now,
): FailureLimiter {
  const records = new Map<string, FailureRecord>();
  const policyOf = (subject: string): BackoffPolicy => {
    const policy = policies[subject.split(':')[0]!];
    if (!policy) throw new Error(`No back-off policy for the subject "${subject}"`);
    return policy;
  };
  const current = (subject: string): FailureRecord | undefined => {
    const record = records.get(subject);
    if (!record) return undefined;
    const t = now();
    if (record.lockedUntil <= t && t - record.lastFailure > policyOf(subject).forgetAfterMs) {
      records.delete(subject);
      return undefined;
    }
    return record;
  };
  return {
    async retryAfterSeconds(subjects) {
      const t = now();
      const until = Math.max(0, ...subjects.map((s) => current(s)?.lockedUntil ?? 0));
      return until > t ? Math.ceil((until - t) / 1000) : 0;
    },
    async recordFailure(subjects) {
      const t = now();
      for (const subject of subjects) {
        const policy = policyOf(subject);
        const record = current(subject) ?? { failures: 0, lockedUntil: 0, lastFailure: t };
        record.failures += 1;
        record.lastFailure = t;
        const over = record.failures - policy.lockAfterFailures;
        if (over >= 0) {
          const lockMs = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over, 30));
          record.lockedUntil = t + lockMs;
        }
        records.delete(subject);
        records.set(subject, record);
        if (records.size > MAX_SUBJECTS) records.delete(records.keys().next().value!);
      }
    },
    async recordSuccess(subject) {
      records.delete(subject);
    },
  };
}

/** Yardstick's policies: a credential key locks after 5 wrong secrets, an address after 50. */
export const AUTH_BACKOFF: Record<'key' | 'address', BackoffPolicy> = {
  key: { lockAfterFailures: 5, baseLockMs: 1000, maxLockMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 },
  address: { lockAfterFailures: 50, baseLockMs: 1000, maxLockMs: 15 * 60_000, forgetAfterMs: 15 * 60_000 },
};
