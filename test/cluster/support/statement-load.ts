import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** One xAPI statement with a client-chosen id, so a retry after a lost answer cannot store it twice. */
export function clusterStatement(learner: number, id: string = randomUUID()): Record<string, unknown> {
  return {
    id,
    actor: { objectType: 'Agent', mbox: `mailto:learner-${learner}@cluster.example.com` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { en: 'experienced' } },
    object: { id: 'http://cluster.example.com/activities/failover', objectType: 'Activity' },
  };
}

export interface PostOutcome {
  status: number | 'network' | 'timeout';
  retryAfter: string | null;
  /** Why the request failed without an answer (the fetch error's cause). */
  error?: string;
}

/** POSTs one statement; never throws (a failed connection or a timeout is an outcome too). */
export async function postStatement(
  baseUrl: string,
  auth: string,
  statement: Record<string, unknown>,
  timeoutMs = 30000,
): Promise<PostOutcome> {
  try {
    const res = await fetch(`${baseUrl}/xapi/statements`, {
      method: 'POST',
      headers: {
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(statement),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return {
      status: e.name === 'TimeoutError' ? 'timeout' : 'network',
      retryAfter: null,
      error: e.cause?.code ?? e.cause?.message ?? e.message,
    };
  }
}

export interface LoadResult {
  acknowledged: string[];
  /** How often each answer came (status code, 'network' or 'timeout'). */
  outcomes: Record<string, number>;
  /** 503 answers without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
  /** Every answer but 200/204: when (ms since the load started), which status, and the error if none. */
  failures: { atMs: number; status: PostOutcome['status']; error?: string }[];
  /** Longest time between two acknowledgements, s: how long writes were unavailable. */
  gapSeconds: number;
}

/**
 * `clients` loops POSTing statements round-robin over `targets` until stopped. A statement that is not
 * acknowledged (503, no answer) is sent again with the same id, to the next target, after the
 * Retry-After the server asked for (capped at 1 s here so the gap is measured finely).
 */
export function startStatementLoad(options: { targets: string[]; auth: string; clients: number }) {
  let running = true;
  const acknowledged: string[] = [];
  const outcomes: Record<string, number> = {};
  let unavailableWithoutRetryAfter = 0;
  const failures: LoadResult['failures'] = [];
  const startedAt = Date.now();
  let lastAck = Date.now();
  let longestGapMs = 0;
  let turn = 0;
  const client = async (n: number) => {
    while (running) {
      const statement = clusterStatement(n);
      for (;;) {
        const target = options.targets[turn++ % options.targets.length]!;
        const outcome = await postStatement(target, options.auth, statement);
        outcomes[outcome.status] = (outcomes[outcome.status] ?? 0) + 1;
        if (outcome.status === 200 || outcome.status === 204) {
          const now = Date.now();
          longestGapMs = Math.max(longestGapMs, now - lastAck);
          lastAck = now;
          acknowledged.push(statement.id as string);
          break;
        }
        failures.push({ atMs: Date.now() - startedAt, status: outcome.status, error: outcome.error });
        if (outcome.status === 503 && outcome.retryAfter === null) unavailableWithoutRetryAfter++;
        const retryAfterMs = Number(outcome.retryAfter ?? 0) * 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(retryAfterMs, 100), 1000)));
        // A statement the client gave up on is neither acknowledged nor expected.
        if (!running) break;
      }
    }
  };
  const loops = Array.from({ length: options.clients }, (_, n) => client(n));
  return {
    acknowledgedCount: () => acknowledged.length,
    /** ms since the load started, to place events among `failures`. */
    elapsedMs: () => Date.now() - startedAt,
    async stop(): Promise<LoadResult> {
      running = false;
      await Promise.all(loops);
      return {
        acknowledged,
        outcomes,
        unavailableWithoutRetryAfter,
        failures,
        gapSeconds: Math.round(longestGapMs / 100) / 10,
      };
    },
  };
}

export interface Presence {
  present: number;
  duplicated: number;
  lost: number;
}

/** How many of `ids` the tenant's statement table holds, how many more than once, how many not at all. */
export async function statementPresence(url: string, tenantId: string, ids: string[]): Promise<Presence> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; n: string }>(
      `SELECT id::text, count(*) AS n FROM xapi_statement
        WHERE tenant_id = $1 AND id = ANY($2::uuid[]) GROUP BY id`,
      [tenantId, ids],
    );
    const unique = new Set(ids);
    return {
      present: rows.length,
      duplicated: rows.filter((r) => Number(r.n) > 1).length,
      lost: unique.size - rows.length,
    };
  } finally {
    await client.end();
  }
}

/** The scenario's summary line, in the form issue #20 asks for. */
export function summaryLine(
  scenario: string,
  acknowledged: number,
  presence: Presence,
  gapSeconds: number,
): string {
  return `cluster ${scenario}: acknowledged ${acknowledged}, present ${presence.present}, duplicated ${presence.duplicated}, lost ${presence.lost}, gap ${gapSeconds} s`;
}
