import { createServer, type Server } from 'node:http';
import express from 'express';
import { DevLms } from '../../../src/dev/lms/dev-lms.js';
import { devLmsRoutes } from '../../../src/dev/lms/dev-lms-routes.js';
import { seedDemoModules } from '../../../src/dev/demo/demo-modules.js';
import { toolUrls } from '../../../src/lti/platforms/platform-service.js';
import { openDatabase } from '../../../src/storage/database.js';
import { createModuleRepository } from '../../../src/storage/repositories/module-repository.js';
import { runProcess } from '../../support/spawn-process.js';
import { CookieJar, followAuth, get } from '../../support/lti-client.js';
import type { TestCluster } from './test-cluster.js';

export interface TestPlatform {
  lms: DevLms;
  close(): Promise<void>;
}

/**
 * The development LMS, served from this test process on a loopback port, registered with the
 * scenarios' tenant by `npx yardstick platform add` as an operator registers an LMS; its
 * safety-101-module-1 link is bound to the demo module "load limits" (seeded into the tenant). The
 * tool's URLs are the cluster's front end (PUBLIC_URL); tests send each request to the app server
 * they choose.
 */
export async function startTestPlatform(cluster: TestCluster): Promise<TestPlatform> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const lms = new DevLms(`http://127.0.0.1:${port}`, toolUrls(cluster.state.urls.front));
  server.on('request', express().use(devLmsRoutes(lms)));

  const env = { ...process.env, ...cluster.state.cliEnv };
  const r = await runProcess(
    [
      'bin/yardstick.js',
      'platform',
      'add',
      ...['--tenant', cluster.lrs.tenantName, '--issuer', lms.issuer, '--client-id', lms.clientId],
      ...['--deployment-id', lms.deploymentId, '--auth-url', lms.urls.auth],
      ...['--token-url', lms.urls.token, '--jwks-url', lms.urls.jwks, '--name', 'Cluster test LMS'],
    ],
    env,
  );
  if (r.code !== 0) throw new Error(`yardstick platform add failed: ${r.stderr}`);

  const owner = openDatabase(cluster.state.urls.migration, { poolSize: 1, statementTimeoutMs: 0 });
  try {
    const demo = await seedDemoModules(createModuleRepository(owner.db), cluster.lrs.tenantId);
    for (const course of lms.courses)
      for (const link of course.links)
        if (link.id === 'safety-101-module-1') link.custom = { yardstick_module_id: demo.loadLimits };
  } finally {
    await owner.close();
  }
  return {
    lms,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let shared: Promise<TestPlatform> | undefined;

/** The run's one test LMS, started by the first scenario that needs it (stopped by cluster-hooks). */
export function testPlatform(cluster: TestCluster): Promise<TestPlatform> {
  shared ??= startTestPlatform(cluster);
  return shared;
}

export async function stopTestPlatform(): Promise<void> {
  const platform = await shared?.catch(() => undefined);
  shared = undefined;
  await platform?.close();
}

/** `url` with its origin swapped for `base`: the same request, sent to one chosen app server. */
export function on(base: string, url: string): string {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}`;
}

/**
 * An LTI launch of `person` into a course link with the login initiation (LTI Security Framework
 * 5.1.1.1) sent to `loginOn` and the platform's id_token post (5.1.1.3) to `launchOn`: the launch's
 * response (303 when it succeeded) and the browser's cookies.
 */
export async function launchAcross(
  lms: DevLms,
  front: string,
  loginOn: string,
  launchOn: string,
  person: string,
  course: string,
  link: string,
): Promise<{ res: Response; jar: CookieJar }> {
  const jar = new CookieJar();
  const login = await get(on(loginOn, lms.loginUrl(person, course, link)), jar);
  if (login.status !== 302) throw new Error(`login initiation on ${loginOn} answered ${login.status}`);
  const authUrl = login.headers.get('location')!;
  const q = new URL(authUrl).searchParams;
  const auth = await followAuth({ jar, authUrl, state: q.get('state')!, nonce: q.get('nonce')! });
  if (new URL(auth.action).origin !== front)
    throw new Error(`the platform posts the launch to ${auth.action}, not to PUBLIC_URL ${front}`);
  const res = await fetch(on(launchOn, auth.action), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), origin: lms.base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_token: auth.id_token, state: auth.state }),
  });
  jar.store(res);
  return { res, jar };
}
