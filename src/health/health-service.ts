import type { HealthRepository } from '../storage/repositories/health-repository.js';

export type DatabaseCheck =
  | { ok: true; serverVersion: string; latencyMs: number }
  | { ok: false; error: string };

export interface HealthService {
  checkDatabase(): Promise<DatabaseCheck>;
}

/** Readiness: can we run a query within `timeoutMs`? */
export function createHealthService(deps: { health: HealthRepository; timeoutMs?: number }): HealthService {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return {
    async checkDatabase() {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const serverVersion = await Promise.race([deps.health.serverVersion(), timeout]);
        return { ok: true, serverVersion, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (err) {
        return { ok: false, error: `the database does not answer: ${(err as Error).message}` };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
