import type { Express } from 'express';
import request from 'supertest';
import type { Services } from '../../src/services.js';

export interface LrsClient {
  key: string;
  secret: string;
  tenantId: string;
  auth: string;
  /** A supertest request with Basic auth and the version header set. */
  get(path: string): request.Test;
  put(path: string): request.Test;
  post(path: string): request.Test;
  delete(path: string): request.Test;
}

let counter = 0;

/** Creates a tenant (or uses `tenant`) and an LRS credential with `scopes`; returns a client for it. */
export async function lrsClient(
  app: Express,
  services: Services,
  options: { tenant?: string; scopes?: string[]; version?: string } = {},
): Promise<LrsClient> {
  const tenantName = options.tenant ?? `tenant-${process.pid}-${++counter}`;
  const tenant =
    (await services.tenants.list()).find((t) => t.name === tenantName) ??
    (await services.tenants.create(tenantName));
  const created = await services.lrsCredentials.create({
    tenant: tenantName,
    scopes: options.scopes ?? ['all'],
    homePage: 'http://lrs.test',
  });
  const auth = `Basic ${Buffer.from(`${created.key}:${created.secret}`).toString('base64')}`;
  const version = options.version ?? '1.0.3';
  const wrap = (t: request.Test) => t.set('Authorization', auth).set('X-Experience-API-Version', version);
  return {
    key: created.key,
    secret: created.secret,
    tenantId: tenant.id,
    auth,
    get: (p) => wrap(request(app).get(p)),
    put: (p) => wrap(request(app).put(p)),
    post: (p) => wrap(request(app).post(p)),
    delete: (p) => wrap(request(app).delete(p)),
  };
}

let n = 0;
/** A valid minimal statement; pass overrides to change parts. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    actor: { objectType: 'Agent', name: 'Jo', mbox: 'mailto:jo@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: { id: `http://example.com/activities/${n}` },
    ...overrides,
  };
}
