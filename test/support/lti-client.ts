import type { DevLms, MessageType } from '../../src/dev/lms/dev-lms.js';

/** A cookie jar that, like a browser, sends back what the server set (flags are not enforced). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  /** The CSRF token of the last Yardstick page read with this jar, sent with posts as a page's forms do. */
  csrfToken?: string;
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  /** Raw Set-Cookie lines are checked separately; this lists names held. */
  names(): string[] {
    return [...this.cookies.keys()];
  }
}

export async function get(url: string, jar: CookieJar, accept = 'text/html'): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(), accept } });
  jar.store(res);
  await rememberCsrfToken(res, jar);
  return res;
}

/** Keeps the CSRF token a page carries (src/web/middleware/csrf.ts), as its forms would. */
export async function rememberCsrfToken(res: Response, jar: CookieJar): Promise<void> {
  if (!res.headers.get('content-type')?.includes('text/html')) return;
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(await res.clone().text())?.[1];
  if (token) jar.csrfToken = token;
}

/** The headers of a post that a Yardstick page makes: its origin, and its CSRF token when one was read. */
export function pageHeaders(origin: string, jar: CookieJar): Record<string, string> {
  return { origin, ...(jar.csrfToken ? { 'x-csrf-token': jar.csrfToken } : {}) };
}

/** A form post as a browser makes it from a page of the URL's own site (its Origin, and the page's CSRF token). */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  jar: CookieJar,
): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...pageHeaders(new URL(url).origin, jar),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    },
    body: new URLSearchParams(fields),
  });
  jar.store(res);
  return res;
}

/** What the platform's auth endpoint was asked for: the state and nonce the tool generated. */
export interface StartedLaunch {
  jar: CookieJar;
  state: string;
  nonce: string;
  authUrl: string;
}

/** Login initiation -> the tool redirects to the LMS auth endpoint (LTI Security Framework 5.1.1.1-2). */
export async function startLaunch(
  lms: DevLms,
  person: string,
  course: string,
  link: string | null,
  type: MessageType = 'LtiResourceLinkRequest',
): Promise<StartedLaunch> {
  const jar = new CookieJar();
  const res = await get(lms.loginUrl(person, course, link, type), jar);
  if (res.status !== 302) throw new Error(`login initiation answered ${res.status}: ${await res.text()}`);
  const authUrl = res.headers.get('location')!;
  const q = new URL(authUrl).searchParams;
  return { jar, state: q.get('state')!, nonce: q.get('nonce')!, authUrl };
}

/** The LMS auth endpoint answers with an auto-posting form; this reads its fields. */
export async function followAuth(
  started: StartedLaunch,
): Promise<{ action: string; id_token: string; state: string }> {
  const res = await get(started.authUrl, new CookieJar());
  const html = await res.text();
  if (res.status !== 200) throw new Error(`auth endpoint answered ${res.status}: ${html}`);
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const action = /action="([^"]*)"/.exec(html)![1]!;
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, c) => String.fromCharCode(Number(c)));
  return { action: decode(action), id_token: decode(field('id_token')), state: decode(field('state')) };
}

/** The full OIDC flow, as a browser would run it; returns the launch response (a 303 on success). */
export async function launch(
  lms: DevLms,
  person: string,
  course: string,
  link: string | null,
  type: MessageType = 'LtiResourceLinkRequest',
) {
  const started = await startLaunch(lms, person, course, link, type);
  const posted = await followAuth(started);
  const res = await postForm(posted.action, { id_token: posted.id_token, state: posted.state }, started.jar);
  return { res, jar: started.jar, started };
}
