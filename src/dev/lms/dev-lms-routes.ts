import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { route } from '../../web/async-route.js';
import { CLAIM } from '../../lti/launch/launch-checks.js';
import type { DevLms, MessageType } from './dev-lms.js';
import { JwtError, verifyJwt } from './jwt.js';

const SCOPE = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemRead: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  members: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An auto-submitting form: how a platform posts the id_token to the tool (OIDC form_post). */
function autoPostForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html><body><form id="f" method="post" action="${escapeHtml(action)}">${inputs}<noscript><button>Continue</button></noscript></form><script>document.getElementById('f').submit()</script></body></html>`;
}

async function toolKeyset(lms: DevLms): Promise<{ keys: [] }> {
  const res = await fetch(lms.tool.jwksUrl);
  if (!res.ok) throw new JwtError(`the tool's keyset ${lms.tool.jwksUrl} answered ${res.status}`);
  return (await res.json()) as { keys: [] };
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

/** The development LMS's HTTP side, under /dev-lms (development and test only). */
export function devLmsRoutes(lms: DevLms): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false });
  router.use('/dev-lms', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/dev-lms', (req, res, next) => {
    // Opened as http://localhost/dev-lms: move to the LMS's own site so the launch is cross-site.
    const home = new URL(lms.urls.home);
    if (req.hostname !== home.hostname) return res.redirect(302, lms.urls.home);
    next();
  });
  router.get('/dev-lms', (req, res) => {
    // ?platform_storage=1: launches offer platform storage (lti_storage_target=_parent), which this
    // page answers, as Canvas and Moodle do; without it they rely on cookies only.
    const platformStorage = req.query.platform_storage === '1';
    const storage = platformStorage ? { storageTarget: '_parent' } : {};
    res.render('pages/dev-lms/index', {
      title: 'Development LMS',
      lms,
      platformStorage,
      toolOrigin: new URL(lms.tool.launchUrl).origin,
      courses: lms.courses.map((c) => ({
        ...c,
        people: Object.entries(c.members).map(([id, roles]) => ({
          person: lms.person(id)!,
          roles: roles.map((r) => r.split('#')[1]).join(', '),
        })),
        links: c.links.map((l) => ({
          ...l,
          launches: Object.keys(c.members).map((pid) => ({
            person: lms.person(pid)!,
            url: lms.loginUrl(pid, c.id, l.id, 'LtiResourceLinkRequest', storage),
          })),
        })),
        adminLaunch: lms.loginUrl('ada', c.id, c.links[0]!.id, 'LtiResourceLinkRequest', storage),
        gradebook: lms.lineItems
          .filter((li) => li.courseId === c.id)
          .flatMap((li) =>
            (lms.scores.get(li.id) ?? []).map((sc) => ({
              column: li.label,
              person: lms.person(sc.userId)?.name ?? sc.userId,
              score: sc.scoreGiven === undefined ? '' : `${sc.scoreGiven} / ${sc.scoreMaximum}`,
              progress: `${sc.activityProgress}, ${sc.gradingProgress}`,
            })),
          ),
        deepLink: lms.loginUrl('ines', c.id, null, 'LtiDeepLinkingRequest', storage),
      })),
      dynamicRegistration: lms.tool.dynamicRegistrationUrl,
    });
  });

  // The LMS admin pastes Yardstick's one-time registration URL; only Yardstick's own URL is followed.
  router.get('/dev-lms/dynamic-registration', (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url.trim() : '';
    if (!url.startsWith(`${lms.tool.dynamicRegistrationUrl}?`)) {
      res.status(400).type('text').send(`Paste a URL starting with ${lms.tool.dynamicRegistrationUrl}?`);
      return;
    }
    res.redirect(302, lms.dynamicRegistrationUrl(url));
  });

  // LTI Dynamic Registration 1.0 (3.4 configuration, 3.5 registration).
  router.get('/dev-lms/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: lms.issuer,
      authorization_endpoint: lms.urls.auth,
      token_endpoint: lms.urls.token,
      jwks_uri: lms.urls.jwks,
      registration_endpoint: lms.urls.registration,
      scopes_supported: ['openid', ...Object.values(SCOPE)],
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: 'yardstick-dev-lms',
        version: '1',
        messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
      },
    });
  });
  router.post('/dev-lms/register', express.json(), (req, res) => {
    if (req.headers.authorization !== `Bearer ${lms.registrationToken}`)
      return void res.status(401).json({ error: 'invalid registration token' });
    const body = req.body as Record<string, unknown>;
    if (
      body.token_endpoint_auth_method !== 'private_key_jwt' ||
      typeof body.jwks_uri !== 'string' ||
      typeof body.initiate_login_uri !== 'string'
    ) {
      return void res.status(400).json({ error: 'invalid_client_metadata' });
    }
    const clientId = `dyn-${randomUUID()}`;
    const deploymentId = `dyn-deployment-${lms.registrations.length + 1}`;
    lms.registrations.push({ clientId, deploymentId, request: body });
    res.json({
      ...body,
      client_id: clientId,
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        ...(body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object),
        deployment_id: deploymentId,
      },
    });
  });

  router.get('/dev-lms/jwks', (_req, res) => {
    res.json({ keys: [lms.key.publicJwk] });
  });

  // OIDC authentication endpoint (LTI Security Framework 5.1.1.2 -> 5.1.1.3).
  router.all(
    '/dev-lms/auth',
    form,
    route(async (req, res) => {
      const p = { ...req.query, ...(req.body ?? {}) } as Record<string, string>;
      const problems: string[] = [];
      if (p.scope !== 'openid') problems.push('scope must be openid');
      if (p.response_type !== 'id_token') problems.push('response_type must be id_token');
      if (p.response_mode !== 'form_post') problems.push('response_mode must be form_post');
      if (p.client_id !== lms.clientId) problems.push(`unknown client_id ${p.client_id}`);
      if (p.redirect_uri !== lms.tool.launchUrl)
        problems.push(`redirect_uri ${p.redirect_uri} is not the registered launch URL`);
      if (!p.nonce) problems.push('nonce is missing');
      if (!p.state) problems.push('state is missing');
      let hint: { courseId: string; linkId: string | null; type: MessageType } | undefined;
      try {
        hint = JSON.parse(p.lti_message_hint ?? '');
      } catch {
        problems.push('lti_message_hint is not the one this LMS sent');
      }
      if (problems.length || !hint) {
        res
          .status(400)
          .send(`Development LMS refused the authentication request: ${escapeHtml(problems.join('; '))}`);
        return;
      }
      const claims = lms.launchClaims(p.login_hint!, hint.courseId, hint.linkId, hint.type, p.nonce!);
      res.send(autoPostForm(p.redirect_uri!, { id_token: await lms.signIdToken(claims), state: p.state! }));
    }),
  );

  // OAuth 2 client credentials with a JWT client assertion (LTI Security Framework 4.1, RFC 7523).
  router.post(
    '/dev-lms/token',
    form,
    route(async (req, res) => {
      lms.calls.token++;
      const b = req.body as Record<string, string>;
      if (b.grant_type !== 'client_credentials')
        return oauthError(res, 400, 'unsupported_grant_type', 'use client_credentials');
      if (b.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return oauthError(res, 400, 'invalid_request', 'client_assertion_type must be jwt-bearer');
      }
      let claims: Record<string, unknown>;
      try {
        claims = await verifyJwt(b.client_assertion ?? '', await toolKeyset(lms));
      } catch (err) {
        return oauthError(res, 401, 'invalid_client', `client assertion rejected: ${(err as Error).message}`);
      }
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (claims.iss !== lms.clientId || claims.sub !== lms.clientId)
        return oauthError(res, 401, 'invalid_client', 'iss and sub must be the client id');
      if (!aud.includes(lms.urls.token))
        return oauthError(res, 401, 'invalid_client', 'aud must be the token endpoint');
      if (typeof claims.jti !== 'string' || lms.usedAssertionIds.has(claims.jti))
        return oauthError(res, 401, 'invalid_client', 'jti missing or reused');
      lms.usedAssertionIds.add(claims.jti);
      const scopes = (b.scope ?? '').split(' ').filter((s) => Object.values(SCOPE).includes(s));
      res.json(lms.issueAccessToken(scopes));
    }),
  );

  const lineItemJson = (li: {
    id: string;
    url: string;
    label: string;
    scoreMaximum: number;
    resourceLinkId?: string;
    tag?: string;
  }) => ({
    id: li.url,
    label: li.label,
    scoreMaximum: li.scoreMaximum,
    ...(li.resourceLinkId ? { resourceLinkId: li.resourceLinkId } : {}),
    ...(li.tag ? { tag: li.tag } : {}),
  });

  // AGS line items (AGS 3.2).
  router.get('/dev-lms/courses/:courseId/lineitems', (req, res) => {
    if (
      !lms.authorized(req.headers.authorization, SCOPE.lineItem) &&
      !lms.authorized(req.headers.authorization, SCOPE.lineItemRead)
    ) {
      res.status(401).json({ error: 'a token with the lineitem scope is required' });
      return;
    }
    res
      .type('application/vnd.ims.lis.v2.lineitemcontainer+json')
      .send(
        JSON.stringify(lms.lineItems.filter((li) => li.courseId === req.params.courseId).map(lineItemJson)),
      );
  });
  router.post(
    '/dev-lms/courses/:courseId/lineitems',
    express.json({ type: ['application/json', 'application/vnd.ims.lis.v2.lineitem+json'] }),
    (req, res) => {
      if (!lms.authorized(req.headers.authorization, SCOPE.lineItem)) {
        res.status(401).json({ error: 'a token with the lineitem scope is required' });
        return;
      }
      const body = req.body as {
        label?: string;
        scoreMaximum?: number;
        resourceLinkId?: string;
        tag?: string;
      };
      if (!body.label || !(Number(body.scoreMaximum) > 0)) {
        res.status(400).json({ error: 'label and a positive scoreMaximum are required' });
        return;
      }
      const li = lms.addLineItem(String(req.params.courseId), {
        label: body.label,
        scoreMaximum: Number(body.scoreMaximum),
        resourceLinkId: body.resourceLinkId,
        tag: body.tag,
      });
      res
        .status(201)
        .type('application/vnd.ims.lis.v2.lineitem+json')
        .send(JSON.stringify(lineItemJson(li)));
    },
  );
  router.get('/dev-lms/courses/:courseId/lineitems/:id', (req, res) => {
    const li = lms.lineItems.find((l) => l.id === req.params.id);
    if (!li) return void res.status(404).json({ error: 'no such line item' });
    if (
      !lms.authorized(req.headers.authorization, SCOPE.lineItem) &&
      !lms.authorized(req.headers.authorization, SCOPE.lineItemRead)
    ) {
      return void res.status(401).json({ error: 'a token with the lineitem scope is required' });
    }
    res.type('application/vnd.ims.lis.v2.lineitem+json').send(JSON.stringify(lineItemJson(li)));
  });

  // AGS scores (AGS 3.4).
  router.post(
    '/dev-lms/courses/:courseId/lineitems/:id/scores',
    express.json({ type: ['application/json', 'application/vnd.ims.lis.v1.score+json'] }),
    (req, res) => {
      lms.calls.scorePosts++;
      if (lms.takeScoreFailure())
        return void res.status(503).json({ error: 'the development LMS was told to fail this score post' });
      if (!lms.authorized(req.headers.authorization, SCOPE.score))
        return void res.status(401).json({ error: 'a token with the score scope is required' });
      const li = lms.lineItems.find((l) => l.id === req.params.id);
      if (!li) return void res.status(404).json({ error: 'no such line item' });
      const s = req.body as Record<string, unknown>;
      if (
        typeof s.userId !== 'string' ||
        typeof s.activityProgress !== 'string' ||
        typeof s.gradingProgress !== 'string' ||
        typeof s.timestamp !== 'string'
      ) {
        return void res
          .status(400)
          .json({ error: 'userId, activityProgress, gradingProgress and timestamp are required' });
      }
      const list = lms.scores.get(li.id) ?? [];
      list.push(s as unknown as import('./dev-lms.js').DevScore);
      lms.scores.set(li.id, list);
      res.status(204).end();
    },
  );

  // NRPS memberships with paging and role filter (NRPS 2.0, sections 2.3-2.4).
  router.get('/dev-lms/courses/:courseId/memberships', (req: Request, res: Response) => {
    lms.calls.memberPages++;
    if (!lms.authorized(req.headers.authorization, SCOPE.members))
      return void res
        .status(401)
        .json({ error: 'a token with the contextmembership.readonly scope is required' });
    const course = lms.course(String(req.params.courseId));
    if (!course) return void res.status(404).json({ error: 'no such course' });
    const role = typeof req.query.role === 'string' ? req.query.role : undefined;
    const limit = Math.max(1, Math.min(100, Number(req.query.limit) || 100));
    const page = Math.max(1, Number(req.query.page) || 1);
    const all = Object.entries(course.members)
      .filter(([, roles]) => !role || roles.some((r) => r === role || r.endsWith(`#${role}`)))
      .map(([id, roles]) => {
        const p = lms.person(id)!;
        return {
          status: 'Active',
          user_id: p.id,
          name: p.name,
          given_name: p.givenName,
          family_name: p.familyName,
          email: p.email,
          roles,
        };
      });
    const slice = all.slice((page - 1) * limit, page * limit);
    if (page * limit < all.length) {
      const next = new URL(lms.urls.memberships(course.id));
      if (role) next.searchParams.set('role', role);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('page', String(page + 1));
      res.set('Link', `<${next}>; rel="next"`);
    }
    res.type('application/vnd.ims.lti-nrps.v2.membershipcontainer+json').send(
      JSON.stringify({
        id: `${lms.urls.memberships(course.id)}?page=${page}`,
        context: { id: course.id, label: course.label, title: course.title },
        members: slice,
      }),
    );
  });

  // Deep Linking response (Deep Linking 2.0, 4.5): verified against the tool's keyset.
  router.post(
    '/dev-lms/deep-link-return',
    form,
    route(async (req, res) => {
      let claims: Record<string, unknown>;
      try {
        claims = await verifyJwt(String(req.body?.JWT ?? ''), await toolKeyset(lms));
      } catch (err) {
        return void res
          .status(400)
          .send(`Development LMS rejected the deep-linking response: ${escapeHtml((err as Error).message)}`);
      }
      const problems: string[] = [];
      if (claims.iss !== lms.clientId) problems.push('iss must be the client id');
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.includes(lms.issuer)) problems.push('aud must be the platform issuer');
      if (claims[CLAIM.messageType] !== 'LtiDeepLinkingResponse')
        problems.push('message_type must be LtiDeepLinkingResponse');
      if (claims[CLAIM.version] !== '1.3.0') problems.push('version must be 1.3.0');
      if (claims[CLAIM.deploymentId] !== lms.deploymentId) problems.push('deployment_id does not match');
      if (typeof claims.nonce !== 'string') problems.push('nonce is missing');
      const data = claims['https://purl.imsglobal.org/spec/lti-dl/claim/data'];
      const courseId = typeof data === 'string' && data.startsWith('course=') ? data.slice(7) : '';
      if (!lms.course(courseId)) problems.push('the data claim was not returned unchanged');
      if (problems.length)
        return void res
          .status(400)
          .send(`Development LMS rejected the deep-linking response: ${escapeHtml(problems.join('; '))}`);
      const items =
        (claims['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] as Record<string, unknown>[]) ??
        [];
      const course = lms.course(courseId)!;
      for (const item of items) {
        const linkId = `dl-${course.links.length + 1}`;
        course.links.push({
          id: linkId,
          title: String(item.title ?? 'Linked item'),
          graded: Boolean(item.lineItem),
        });
        const li = item.lineItem as { label?: string; scoreMaximum?: number } | undefined;
        if (li)
          lms.addLineItem(course.id, {
            label: li.label ?? String(item.title),
            scoreMaximum: Number(li.scoreMaximum) || 100,
            resourceLinkId: linkId,
          });
      }
      lms.deepLinkReturns.push({ courseId, contentItems: items, verifiedClaims: claims });
      res.send(
        `<!doctype html><html><body><h1>Development LMS</h1><p>Added ${items.length} item(s) to ${escapeHtml(course.title)}: ${items.map((i) => escapeHtml(String(i.title))).join(', ')}.</p><p><a href="${escapeHtml(lms.urls.home)}">Back to the development LMS</a></p></body></html>`,
      );
    }),
  );
  return router;
}
