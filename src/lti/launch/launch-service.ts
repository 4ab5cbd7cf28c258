import { createHash, randomBytes } from 'node:crypto';
import type { LtiPlatform, LtiSession } from '../model.js';
import type { LtiLaunchStateRepository } from '../../storage/repositories/lti-launch-state-repository.js';
import type { LtiPeopleRepository } from '../../storage/repositories/lti-people-repository.js';
import type { LtiSessionRepository } from '../../storage/repositories/lti-session-repository.js';
import type { PlatformService } from '../platforms/platform-service.js';
import { LaunchError } from './launch-error.js';
import {
  CLAIM,
  audienceClientId,
  checkLtiClaims,
  checkTimes,
  decodeJwt,
  type LaunchClaims,
} from './launch-checks.js';
import { classifyRoles } from './roles.js';
import { platformOrigin, storageKeys } from './platform-storage.js';

export interface LaunchRules {
  leewaySeconds: number;
  maxTokenAgeSeconds: number;
  sessionHours: number;
  adminUsers: string[];
}

/** A launch that passed Yardstick's checks, before the signature is verified by the LTI library. */
export interface CheckedLaunch {
  platform: LtiPlatform;
  clientId: string;
  claims: LaunchClaims;
}

export interface CompletedLaunch {
  session: LtiSession;
  /** Cookie value: "<tenant id>.<random token>"; only the token's hash is stored. */
  cookieValue: string;
  /** Where the browser goes next (by role and message type). */
  destination: string;
}

/**
 * What the launch page needs to read the state and nonce back from the platform's frame (OIDC Login
 * with LTI Client Side postMessages, 3.3): where to send `lti.get_data`, whose replies to trust, and the
 * keys and values to expect.
 */
export interface StorageCheck {
  target: string;
  origin: string;
  state: string;
  nonce: string;
  keys: { state: string; nonce: string };
}

export interface LaunchService {
  /** OIDC login initiation (LTI Security Framework 5.1.1.1): the platform must be registered and approved. */
  checkLogin(issuer: string, clientId: string | undefined): Promise<LtiPlatform>;
  rememberLoginState(s: {
    state: string;
    nonce: string;
    issuer: string;
    clientId: string | null;
    /** The platform frame that keeps state and nonce (lti_storage_target), when the login named one. */
    storageTarget?: string | null;
  }): Promise<void>;
  /**
   * The storage target a pending login named (LTI Client Side postMessages), or null when it named
   * none or the state is unknown; the state is not used up.
   */
  storageTargetOf(state: string): Promise<string | null>;
  /**
   * For a launch whose login kept state and nonce in platform storage: what the launch page must read
   * back before the launch is checked; null when its login used a cookie (or the state is unknown, which
   * `check` then refuses). The id_token is only decoded here (for its nonce and issuer); `check` and the
   * LTI library verify it afterwards.
   */
  storageCheck(idToken: unknown, state: unknown): Promise<StorageCheck | null>;
  /** Checks what the LTI library does not: tenancy, deployment, aud/azp, times, nonce, state, required claims. */
  check(idToken: unknown, state: unknown, nowMs?: number): Promise<CheckedLaunch>;
  /** After the signature is verified: upserts user, context, enrollment; opens a session. */
  complete(launch: CheckedLaunch): Promise<CompletedLaunch>;
  findSession(cookieValue: string | undefined): Promise<LtiSession | undefined>;
  /**
   * Signs the user out: ends the session, so its cookie and every session token issued for it are
   * refused from now on (the user relaunches from the LMS).
   */
  endSession(session: Pick<LtiSession, 'tenantId' | 'id'>): Promise<void>;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Where each launch lands (issue #5): learners on their module, instructors on the course report, admins home. */
export function destinationFor(
  session: Pick<LtiSession, 'roleKind' | 'messageType' | 'resourceLinkId' | 'contextId'>,
): string {
  if (session.messageType === 'LtiDeepLinkingRequest') return '/deep-link';
  if (session.roleKind === 'admin') return '/admin';
  if (session.roleKind === 'instructor')
    return session.contextId ? `/courses/${session.contextId}/report` : '/admin';
  return `/learn/${encodeURIComponent(session.resourceLinkId ?? '')}`;
}

export function createLaunchService(deps: {
  platforms: PlatformService;
  launchState: LtiLaunchStateRepository;
  people: LtiPeopleRepository;
  sessions: LtiSessionRepository;
  rules: LaunchRules;
}): LaunchService {
  const { rules } = deps;
  const requireActive = (
    platform: LtiPlatform | undefined,
    issuer: string,
    clientId: string,
  ): LtiPlatform => {
    if (!platform) throw new LaunchError('unregistered_platform', { issuer, clientId });
    if (platform.status !== 'active') throw new LaunchError('platform_pending', { issuer, clientId });
    return platform;
  };

  return {
    async checkLogin(issuer, clientId) {
      if (clientId)
        return requireActive(await deps.platforms.findByIssuer(issuer, clientId), issuer, clientId);
      // Without client_id the issuer alone must be unambiguous (LTI Core 4.1.1: client_id is optional).
      throw new LaunchError(
        'unregistered_platform',
        { issuer, clientId: '(not sent)' },
        'The login request carried no client_id.',
      );
    },

    rememberLoginState: (s) => deps.launchState.saveLoginState(s),

    async storageTargetOf(state) {
      return (await deps.launchState.peekLoginState(state))?.storageTarget ?? null;
    },

    async storageCheck(idToken, state) {
      if (typeof state !== 'string' || !state) return null;
      const login = await deps.launchState.peekLoginState(state);
      if (!login?.storageTarget) return null;
      const { payload: claims } = decodeJwt(idToken);
      const issuer = typeof claims.iss === 'string' ? claims.iss : '';
      if (issuer !== login.issuer) throw new LaunchError('wrong_issuer', { issuer, expected: login.issuer });
      const clientId = audienceClientId(claims);
      const platform = requireActive(await deps.platforms.findByIssuer(issuer, clientId), issuer, clientId);
      if (typeof claims.nonce !== 'string' || !claims.nonce)
        throw new LaunchError('nonce_mismatch', { issuer });
      return {
        target: login.storageTarget,
        origin: platformOrigin(platform.authUrl),
        state,
        nonce: claims.nonce,
        keys: storageKeys(state, claims.nonce),
      };
    },

    async check(idToken, state, nowMs = Date.now()) {
      const { payload: claims } = decodeJwt(idToken);
      const issuer = typeof claims.iss === 'string' ? claims.iss : '';
      if (typeof state !== 'string' || !state)
        throw new LaunchError('state_mismatch', { issuer }, 'No state was posted.');
      const login = await deps.launchState.takeLoginState(state, 600);
      // A used nonce under a used state: the same id_token posted twice.
      if (
        !login &&
        typeof claims.nonce === 'string' &&
        (await deps.launchState.isNonceUsed(issuer, claims.nonce))
      ) {
        throw new LaunchError('nonce_replay', { issuer });
      }
      if (!login)
        throw new LaunchError(
          'state_mismatch',
          { issuer },
          'Yardstick did not start this launch, or started it more than 10 minutes ago.',
        );
      if (login.issuer !== issuer) throw new LaunchError('wrong_issuer', { issuer, expected: login.issuer });
      const clientId = audienceClientId(claims);
      const platform = requireActive(await deps.platforms.findByIssuer(issuer, clientId), issuer, clientId);
      checkTimes(claims, {
        nowSeconds: nowMs / 1000,
        leewaySeconds: rules.leewaySeconds,
        maxAgeSeconds: rules.maxTokenAgeSeconds,
      });
      checkLtiClaims(claims);
      const deploymentId = claims[CLAIM.deploymentId] as string;
      if (!platform.deploymentIds.includes(deploymentId)) {
        throw new LaunchError('unknown_deployment', {
          issuer,
          clientId,
          deploymentId,
          tenantPlatform: platform.name,
        });
      }
      if (typeof claims.nonce !== 'string' || claims.nonce !== login.nonce)
        throw new LaunchError('nonce_mismatch', { issuer });
      const expiresAt = new Date(nowMs + (rules.maxTokenAgeSeconds + 2 * rules.leewaySeconds) * 1000);
      if (!(await deps.launchState.useNonce(issuer, claims.nonce, expiresAt)))
        throw new LaunchError('nonce_replay', { issuer });
      return { platform, clientId, claims };
    },

    async complete({ platform, claims }) {
      const tenantId = platform.tenantId;
      const sub = claims.sub as string;
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      const user = await deps.people.upsertUser({
        tenantId,
        platformId: platform.id,
        sub,
        name: str(claims.name),
        givenName: str(claims.given_name),
        familyName: str(claims.family_name),
        email: str(claims.email),
        xapiHomePage: platform.issuer,
        xapiName: sub,
      });
      const roles = Array.isArray(claims[CLAIM.roles])
        ? (claims[CLAIM.roles] as unknown[]).filter((r): r is string => typeof r === 'string')
        : [];
      const roleKind = classifyRoles(roles, { sub, email: user.email }, rules.adminUsers);
      const context = claims[CLAIM.context] as { id?: string; title?: string; label?: string } | undefined;
      const ags = claims[CLAIM.ags] as
        { lineitems?: string; lineitem?: string; scope?: string[] } | undefined;
      const nrps = claims[CLAIM.nrps] as { context_memberships_url?: string } | undefined;
      let contextId: string | null = null;
      if (context?.id) {
        const row = await deps.people.upsertContext({
          tenantId,
          platformId: platform.id,
          deploymentId: claims[CLAIM.deploymentId] as string,
          contextId: context.id,
          title: str(context.title),
          label: str(context.label),
          membershipsUrl: str(nrps?.context_memberships_url),
          lineitemsUrl: str(ags?.lineitems),
        });
        contextId = row.id;
        await deps.people.upsertEnrollment({
          tenantId,
          contextId,
          userId: user.id,
          roles,
          roleKind,
          source: 'launch',
        });
      }
      const token = randomBytes(32).toString('base64url');
      const messageType = claims[CLAIM.messageType] as string;
      const link = claims[CLAIM.resourceLink] as { id?: string; title?: string } | undefined;
      const session: LtiSession = {
        tenantId,
        id: hash(token),
        platformId: platform.id,
        userId: user.id,
        contextId,
        roleKind,
        roles,
        messageType,
        resourceLinkId: link?.id ?? null,
        launch: {
          issuer: platform.issuer,
          clientId: platform.clientId,
          deploymentId: claims[CLAIM.deploymentId],
          sub,
          name: user.name,
          resourceLinkTitle: link?.title ?? null,
          contextTitle: context?.title ?? null,
          ags: ags ?? null,
          nrps: nrps ?? null,
          deepLinking: claims[CLAIM.deepLinking] ?? null,
          custom: claims[CLAIM.custom] ?? null,
          actor: { objectType: 'Agent', account: { homePage: user.xapiHomePage, name: user.xapiName } },
        },
        expiresAt: new Date(Date.now() + rules.sessionHours * 3600_000),
      };
      await deps.sessions.insert(session);
      return { session, cookieValue: `${tenantId}.${token}`, destination: destinationFor(session) };
    },

    async findSession(cookieValue) {
      if (!cookieValue) return undefined;
      const dot = cookieValue.indexOf('.');
      const tenantId = cookieValue.slice(0, dot);
      if (dot < 0 || !/^[0-9a-f-]{36}$/.test(tenantId)) return undefined;
      return deps.sessions.find(tenantId, hash(cookieValue.slice(dot + 1)));
    },

    async endSession(session) {
      await deps.sessions.end(session.tenantId, session.id);
    },
  };
}
