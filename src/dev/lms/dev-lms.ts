import { randomBytes, randomUUID } from 'node:crypto';
import type { ToolUrls } from '../../lti/platforms/platform-service.js';
import { CLAIM } from '../../lti/launch/launch-checks.js';
import { DEV_PEOPLE, devCourses, type DevCourse, type DevPerson } from './dev-lms-seed.js';
import { generateSigningKey, signJwt, type SigningKey } from './jwt.js';

export interface DevLineItem {
  id: string;
  url: string;
  courseId: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  tag?: string;
}

export interface DevScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
}

export interface DeepLinkReturn {
  courseId: string;
  contentItems: Record<string, unknown>[];
  verifiedClaims: Record<string, unknown>;
}

export type MessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

/**
 * A small LTI 1.3 platform for development and tests (never production): it signs launches with its
 * own key, verifies the tool's client assertions and deep-linking responses against the tool's JWKS,
 * and serves AGS and NRPS. Its state lives in this object: it is one process's toy LMS, not
 * Yardstick data (the "no state in process memory" rule is about Yardstick's own servers).
 */
export class DevLms {
  readonly issuer: string;
  readonly clientId = 'yardstick-dev-lms';
  readonly deploymentId = 'dev-deployment-1';
  readonly key: SigningKey = generateSigningKey();
  /** This LMS's own copy of the seeded people: a test may rename one without touching another LMS's. */
  readonly people: DevPerson[] = DEV_PEOPLE.map((p) => ({ ...p, institutionRoles: [...p.institutionRoles] }));
  readonly courses: DevCourse[] = devCourses();
  readonly lineItems: DevLineItem[] = [];
  readonly scores = new Map<string, DevScore[]>();
  readonly deepLinkReturns: DeepLinkReturn[] = [];
  /** Access tokens issued by the token endpoint (token -> scopes, expiry). */
  readonly accessTokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  readonly usedAssertionIds = new Set<string>();
  /** Counters that tests read: what really went over HTTP. */
  readonly calls = { token: 0, scorePosts: 0, scoreFailures: 0, memberPages: 0 };
  /** Dynamic registrations this LMS accepted (client id -> the tool's registration request). */
  readonly registrations: { clientId: string; deploymentId: string; request: Record<string, unknown> }[] = [];
  readonly registrationToken = randomBytes(12).toString('hex');
  private failScorePosts = 0;

  constructor(
    readonly base: string,
    readonly tool: ToolUrls,
  ) {
    this.issuer = `${base}/dev-lms`;
    for (const course of this.courses) {
      for (const link of course.links.filter((l) => l.graded))
        this.addLineItem(course.id, { label: link.title, scoreMaximum: 100, resourceLinkId: link.id });
    }
  }

  get urls() {
    return {
      home: `${this.issuer}`,
      auth: `${this.issuer}/auth`,
      token: `${this.issuer}/token`,
      jwks: `${this.issuer}/jwks`,
      deepLinkReturn: `${this.issuer}/deep-link-return`,
      openidConfiguration: `${this.issuer}/.well-known/openid-configuration`,
      registration: `${this.issuer}/register`,
      lineItems: (courseId: string) => `${this.issuer}/courses/${encodeURIComponent(courseId)}/lineitems`,
      memberships: (courseId: string) => `${this.issuer}/courses/${encodeURIComponent(courseId)}/memberships`,
    };
  }

  person(id: string): DevPerson | undefined {
    return this.people.find((p) => p.id === id);
  }

  course(id: string): DevCourse | undefined {
    return this.courses.find((c) => c.id === id);
  }

  addLineItem(
    courseId: string,
    item: { label: string; scoreMaximum: number; resourceLinkId?: string; tag?: string },
  ): DevLineItem {
    const id = randomUUID();
    const created = { id, url: `${this.urls.lineItems(courseId)}/${id}`, courseId, ...item };
    this.lineItems.push(created);
    return created;
  }

  /** The next `n` score posts answer 503 (to test retries). */
  failNextScorePosts(n: number): void {
    this.failScorePosts = n;
  }

  takeScoreFailure(): boolean {
    if (this.failScorePosts <= 0) return false;
    this.failScorePosts--;
    this.calls.scoreFailures++;
    return true;
  }

  removeMember(courseId: string, personId: string): void {
    delete this.course(courseId)?.members[personId];
  }

  /**
   * Where an LMS admin's browser goes to start LTI Dynamic Registration: Yardstick's one-time
   * registration URL (from its admin page or CLI) plus this LMS's openid_configuration and token.
   */
  dynamicRegistrationUrl(toolRegistrationUrl: string): string {
    const url = new URL(toolRegistrationUrl);
    url.searchParams.set('openid_configuration', this.urls.openidConfiguration);
    url.searchParams.set('registration_token', this.registrationToken);
    return url.href;
  }

  /**
   * The login initiation URL (LTI Core 4.1.1) that starts a launch of `personId` into a link. With
   * `storageTarget` it offers platform storage (OIDC Login with LTI Client Side postMessages 3.1:
   * `lti_storage_target`), which the LMS page answers (public/dev-lms-storage.js).
   */
  loginUrl(
    personId: string,
    courseId: string,
    linkId: string | null,
    type: MessageType = 'LtiResourceLinkRequest',
    options: { storageTarget?: string } = {},
  ): string {
    const q = new URLSearchParams({
      iss: this.issuer,
      login_hint: personId,
      target_link_uri: this.tool.launchUrl,
      lti_message_hint: JSON.stringify({ courseId, linkId, type }),
      client_id: this.clientId,
      lti_deployment_id: this.deploymentId,
      ...(options.storageTarget ? { lti_storage_target: options.storageTarget } : {}),
    });
    return `${this.tool.loginUrl}?${q}`;
  }

  /** The id_token claims for a launch (LTI Core 5.3-5.4, AGS 3.1, NRPS 3.6.1, Deep Linking 4.4). */
  launchClaims(
    personId: string,
    courseId: string,
    linkId: string | null,
    type: MessageType,
    nonce: string,
  ): Record<string, unknown> {
    const person = this.person(personId);
    const course = this.course(courseId);
    if (!person || !course) throw new Error(`unknown person ${personId} or course ${courseId}`);
    const now = Math.floor(Date.now() / 1000);
    const link = course.links.find((l) => l.id === linkId);
    const lineItem = this.lineItems.find((li) => li.resourceLinkId === linkId);
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: this.clientId,
      sub: person.id,
      iat: now,
      exp: now + 300,
      nonce,
      name: person.name,
      given_name: person.givenName,
      family_name: person.familyName,
      email: person.email,
      [CLAIM.version]: '1.3.0',
      [CLAIM.messageType]: type,
      [CLAIM.deploymentId]: this.deploymentId,
      [CLAIM.targetLinkUri]: this.tool.launchUrl,
      [CLAIM.roles]: [...(course.members[person.id] ?? []), ...person.institutionRoles],
      [CLAIM.context]: {
        id: course.id,
        title: course.title,
        label: course.label,
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
      },
      'https://purl.imsglobal.org/spec/lti/claim/tool_platform': {
        guid: 'dev-lms',
        name: 'Yardstick development LMS',
        product_family_code: 'yardstick-dev-lms',
      },
      [CLAIM.ags]: {
        scope: [
          'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
          'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        ],
        lineitems: this.urls.lineItems(course.id),
        ...(lineItem ? { lineitem: lineItem.url } : {}),
      },
      [CLAIM.nrps]: { context_memberships_url: this.urls.memberships(course.id), service_versions: ['2.0'] },
    };
    if (type === 'LtiResourceLinkRequest' && link) {
      claims[CLAIM.resourceLink] = { id: link.id, title: link.title };
      if (link.custom) claims[CLAIM.custom] = link.custom;
    }
    if (type === 'LtiDeepLinkingRequest') {
      claims[CLAIM.deepLinking] = {
        deep_link_return_url: this.urls.deepLinkReturn,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        data: `course=${course.id}`,
      };
    }
    return claims;
  }

  signIdToken(claims: Record<string, unknown>, kid?: string): Promise<string> {
    return signJwt(claims, this.key, kid);
  }

  issueAccessToken(scopes: string[]): {
    access_token: string;
    token_type: 'Bearer';
    expires_in: number;
    scope: string;
  } {
    const token = randomBytes(24).toString('base64url');
    this.accessTokens.set(token, { scopes, expiresAt: Date.now() + 3600_000 });
    return { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') };
  }

  /** True when `authorization` is a live bearer token holding `scope`. */
  authorized(authorization: string | undefined, scope: string): boolean {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    const grant = token ? this.accessTokens.get(token) : undefined;
    return Boolean(grant && grant.expiresAt > Date.now() && grant.scopes.includes(scope));
  }
}
