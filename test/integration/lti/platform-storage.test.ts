import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { useTestDatabase } from '../../support/test-database.js';
import { startLtiHarness, type LtiHarness } from '../../support/lti-harness.js';
import { CookieJar, followAuth, get, postForm } from '../../support/lti-client.js';

/** The data attributes of a platform storage page (views/pages/lti/storage-*.hbs). */
interface StoragePage {
  mode: string;
  target: string;
  origin: string;
  stateKey: string;
  state: string;
  nonceKey: string;
  nonce: string;
  continue: string;
}

function storageSettings(html: string): StoragePage {
  const attr = (name: string) => {
    const raw = new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1] ?? '';
    return raw.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  };
  return {
    mode: attr('lti-storage'),
    target: attr('target'),
    origin: attr('origin'),
    stateKey: attr('state-key'),
    state: attr('state'),
    nonceKey: attr('nonce-key'),
    nonce: attr('nonce'),
    continue: attr('continue'),
  };
}

/** A post as Yardstick's launch page makes it (its own origin), or as another site would. */
async function postLaunch(url: string, fields: Record<string, string>, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields),
  });
}

interface Posted {
  message: Record<string, unknown>;
  targetOrigin: string;
}

/**
 * A window for public/lti-storage.js outside a browser: its parent records what the script posts and
 * `reply` delivers a message event from any origin; timers run only when the test says so.
 */
function fakeFrame() {
  const listeners = new Set<(event: { origin: string; data: unknown }) => void>();
  const timers: Array<() => void> = [];
  const posted: Posted[] = [];
  const parent = {
    frames: {} as Record<string, unknown>,
    postMessage(message: Record<string, unknown>, targetOrigin: string) {
      posted.push({ message, targetOrigin });
    },
  };
  const win = {
    parent,
    crypto: globalThis.crypto,
    setTimeout: (fn: () => void) => timers.push(fn),
    clearTimeout: () => {},
    addEventListener: (_type: string, fn: (event: { origin: string; data: unknown }) => void) =>
      listeners.add(fn),
    removeEventListener: (_type: string, fn: (event: { origin: string; data: unknown }) => void) =>
      listeners.delete(fn),
  };
  return {
    win,
    posted,
    reply(origin: string, data: Record<string, unknown>) {
      for (const fn of [...listeners]) fn({ origin, data });
    },
    /** Fires every pending timeout (the script's "no answer" paths). */
    timeOut() {
      for (const fn of timers.splice(0)) fn();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LTI platform storage: OIDC login and launch through lti.put_data / lti.get_data', function () {
  this.timeout(60000);
  const testDb = useTestDatabase();
  let h: LtiHarness;
  let script: string;
  before(async () => {
    h = await startLtiHarness(testDb());
    script = await (await fetch(`${h.url}/static/lti-storage.js`)).text();
  });
  after(async () => h?.close());

  const loginUrl = (person = 'ana', target = '_parent') =>
    h.devLms.loginUrl(person, 'safety-101', 'safety-101-module-1', 'LtiResourceLinkRequest', {
      storageTarget: target,
    });

  /** Login with platform storage, then the LMS's auth step; the id_token as the LMS would post it. */
  async function startStorageLaunch(person = 'ana') {
    const login = await get(loginUrl(person), new CookieJar());
    assert.equal(login.status, 200, 'the login answers the storage page instead of a redirect');
    const s = storageSettings(await login.text());
    const posted = await followAuth({
      jar: new CookieJar(),
      state: s.state,
      nonce: s.nonce,
      authUrl: s.continue,
    });
    return { settings: s, posted };
  }

  it('answers a login that names lti_storage_target with a page that stores state and nonce in the LMS frame', async () => {
    const res = await get(loginUrl(), new CookieJar());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
    assert.match(res.headers.get('cache-control')!, /no-store/);
    const s = storageSettings(await res.text());
    assert.equal(s.mode, 'put');
    assert.equal(s.target, '_parent');
    assert.equal(
      s.origin,
      new URL(h.devLms.urls.auth).origin,
      "replies are trusted from the LMS's auth origin",
    );
    assert.equal(s.stateKey, `state_${s.state}`);
    assert.equal(s.nonceKey, `nonce_${s.nonce}`);
    const next = new URL(s.continue);
    assert.equal(`${next.origin}${next.pathname}`, h.devLms.urls.auth);
    assert.equal(next.searchParams.get('state'), s.state);
    assert.equal(next.searchParams.get('nonce'), s.nonce);
  });

  it('redirects as before (cookies) when the login names no storage target or an unusable one', async () => {
    const plain = await get(h.devLms.loginUrl('ana', 'safety-101', 'safety-101-module-1'), new CookieJar());
    assert.equal(plain.status, 302);
    const odd = await get(loginUrl('ana', 'javascript:alert(1)'), new CookieJar());
    assert.equal(odd.status, 302, 'a target that is not a frame name is ignored');
  });

  it('answers a launch without the state cookie with a page that reads them back, then completes the checked post', async () => {
    const { settings, posted } = await startStorageLaunch();
    const first = await postLaunch(posted.action, posted, h.devLms.urls.home);
    assert.equal(first.status, 200, 'the platform post gets the read-back page, not a session');
    assert.equal(first.headers.getSetCookie().length, 0);
    const page = storageSettings(await first.text());
    assert.deepEqual(
      { mode: page.mode, state: page.state, nonce: page.nonce, origin: page.origin, target: page.target },
      {
        mode: 'get',
        state: settings.state,
        nonce: settings.nonce,
        origin: settings.origin,
        target: '_parent',
      },
    );

    const checked = { ...posted, lti_storage_checked: '1' };
    const done = await postLaunch(posted.action, checked, h.url);
    assert.equal(done.status, 303, await done.clone().text());
    const location = done.headers.get('location')!;
    assert.match(location, /^\/learn\/safety-101-module-1\?yst=[\w-]+\.[\w-]+$/);
    const landed = await fetch(`${h.url}${location}`, { redirect: 'manual' });
    assert.equal(landed.status, 200, 'the first page opens with the token alone, no cookie');
    const html = await landed.text();
    assert.match(html, /<h1>Load limits<\/h1>/);
    assert.equal(landed.headers.get('referrer-policy'), 'same-origin');
    const carried = /<meta name="yardstick-session" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(carried, 'the page carries a session token for its scripts');
    assert.match(
      html,
      new RegExp(`action='/learn/safety-101-module-1/steps\\?yst=${carried!.replace('.', '\\.')}'`),
    );
  });

  it('takes the cookie path when the state cookie does come back, storage offered or not', async () => {
    const jar = new CookieJar();
    const login = await get(loginUrl(), jar);
    assert.ok(
      jar.names().some((n) => n.startsWith('state')),
      'ltijs set its state cookie on the storage page too',
    );
    const s = storageSettings(await login.text());
    const posted = await followAuth({ jar, state: s.state, nonce: s.nonce, authUrl: s.continue });
    const res = await postForm(posted.action, posted, jar);
    assert.equal(res.status, 303, 'no read-back page: the cookie proves the state');
    assert.equal(
      res.headers.get('location'),
      '/learn/safety-101-module-1',
      'and no session token in the address',
    );
  });

  it('refuses the checked post from another origin: only the launch page may send it', async () => {
    const { posted } = await startStorageLaunch();
    const res = await postLaunch(
      posted.action,
      { ...posted, lti_storage_checked: '1' },
      'https://evil.example',
    );
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('location'), null);
  });

  it('refuses a replayed state: the same checked launch posted twice opens one session', async () => {
    const { posted } = await startStorageLaunch();
    const checked = { ...posted, lti_storage_checked: '1' };
    const first = await postLaunch(posted.action, checked, h.url);
    assert.equal(first.status, 303);
    const again = await postLaunch(posted.action, checked, h.url);
    assert.equal(again.status, 403);
    assert.match(await again.text(), /already used|could not be matched/);
  });

  it('stores through the frame named by the target, sending data only to the platform origin', async () => {
    const f = fakeFrame();
    const ctx: Record<string, unknown> = {};
    runInNewContext(script, ctx);
    const api = ctx.YardstickLtiStorage as {
      storeLaunchState(win: unknown, s: Record<string, string>): Promise<boolean>;
    };
    const s = {
      target: '_parent',
      origin: 'https://lms.example',
      stateKey: 'state_s1',
      state: 's1',
      nonceKey: 'nonce_n1',
      nonce: 'n1',
    };
    const stored = api.storeLaunchState(f.win, s);
    await tick();
    const capabilities = f.posted[0]!;
    assert.equal(capabilities.message.subject, 'lti.capabilities');
    assert.equal(capabilities.targetOrigin, s.origin);
    f.reply(s.origin, {
      subject: 'lti.capabilities.response',
      message_id: capabilities.message.message_id,
      supported_messages: [{ subject: 'lti.put_data' }, { subject: 'lti.get_data' }],
    });
    for (const key of ['state_s1', 'nonce_n1']) {
      await tick();
      const put = f.posted.at(-1)!;
      assert.equal(put.message.subject, 'lti.put_data');
      assert.equal(put.message.key, key);
      assert.equal(put.targetOrigin, s.origin, 'data is never posted to "*"');
      f.reply(s.origin, {
        subject: 'lti.put_data.response',
        message_id: put.message.message_id,
        key,
        value: put.message.value,
      });
    }
    assert.equal(await stored, true);
  });

  it('ignores a put_data reply from a wrong origin (and one answering another message)', async () => {
    const f = fakeFrame();
    const ctx: Record<string, unknown> = {};
    runInNewContext(script, ctx);
    const api = ctx.YardstickLtiStorage as {
      storeLaunchState(win: unknown, s: Record<string, string>): Promise<boolean>;
    };
    const s = {
      target: '_parent',
      origin: 'https://lms.example',
      stateKey: 'state_s1',
      state: 's1',
      nonceKey: 'nonce_n1',
      nonce: 'n1',
    };
    let settled: boolean | undefined;
    void api.storeLaunchState(f.win, s).then((v) => (settled = v));
    await tick();
    f.timeOut(); // lti.capabilities unanswered: storage is tried anyway
    await tick();
    const put = f.posted.at(-1)!;
    assert.equal(put.message.subject, 'lti.put_data');
    f.reply('https://evil.example', {
      subject: 'lti.put_data.response',
      message_id: put.message.message_id,
      key: 'state_s1',
      value: 's1',
    });
    f.reply(s.origin, {
      subject: 'lti.put_data.response',
      message_id: 'another',
      key: 'state_s1',
      value: 's1',
    });
    await tick();
    assert.equal(f.posted.at(-1), put, 'no further put_data: the replies were not taken as an answer');
    assert.equal(settled, undefined);
    f.timeOut();
    await tick();
    assert.equal(settled, false, 'storage failed (the launch falls back to the cookie)');
  });

  it('does not complete a launch when get_data is answered from a wrong origin or with another value', async () => {
    const ctx: Record<string, unknown> = {};
    runInNewContext(script, ctx);
    const api = ctx.YardstickLtiStorage as {
      readLaunchState(win: unknown, s: Record<string, string>): Promise<void>;
    };
    const s = {
      target: '_parent',
      origin: 'https://lms.example',
      stateKey: 'state_s1',
      state: 's1',
      nonceKey: 'nonce_n1',
      nonce: 'n1',
    };

    const wrongOrigin = fakeFrame();
    const read = api.readLaunchState(wrongOrigin.win, s).then(
      () => 'completed',
      (err: Error) => err.message,
    );
    await tick();
    const get1 = wrongOrigin.posted.at(-1)!;
    assert.equal(get1.message.subject, 'lti.get_data');
    assert.equal(get1.targetOrigin, s.origin);
    wrongOrigin.reply('https://evil.example', {
      subject: 'lti.get_data.response',
      message_id: get1.message.message_id,
      key: 'state_s1',
      value: 's1',
    });
    wrongOrigin.timeOut();
    assert.match(await read, /no answer from https:\/\/lms\.example/);

    const wrongValue = fakeFrame();
    const read2 = api.readLaunchState(wrongValue.win, s).then(
      () => 'completed',
      (err: Error) => err.message,
    );
    await tick();
    const get2 = wrongValue.posted.at(-1)!;
    wrongValue.reply(s.origin, {
      subject: 'lti.get_data.response',
      message_id: get2.message.message_id,
      key: 'state_s1',
      value: 'attacker-state',
    });
    assert.match(await read2, /no matching state/);
  });
});
