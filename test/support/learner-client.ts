import { pageHeaders, rememberCsrfToken, type CookieJar } from './lti-client.js';

/** A form post from a Yardstick page (Origin and the page's CSRF token set, as browsers do), following nothing. */
export async function postPage(
  base: string,
  path: string,
  fields: [string, string][],
  jar: CookieJar,
  accept = 'text/html',
): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...pageHeaders(base, jar),
      'content-type': 'application/x-www-form-urlencoded',
      accept,
    },
    body: new URLSearchParams(fields),
  });
  jar.store(res);
  await rememberCsrfToken(res, jar);
  return res;
}

/** The attempt id and step number a learner page's form carries. */
export function formState(html: string): { attempt: string; step: string } {
  const attempt = /name='attempt' value='([^']+)'/.exec(html)?.[1];
  const step = /name='step' value='([^']+)'/.exec(html)?.[1];
  if (!attempt || !step) throw new Error(`no step form on the page:\n${html.slice(0, 2000)}`);
  return { attempt, step };
}
