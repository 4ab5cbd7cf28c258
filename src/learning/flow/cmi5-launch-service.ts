import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, UnauthenticatedError } from '../../errors.js';
import type { LtiSession } from '../../lti/model.js';
import type { Cmi5LaunchRepository } from '../../storage/repositories/cmi5-launch-repository.js';
import type { LrsCredentialService, LrsPrincipal } from '../../xapi/credentials/credential-service.js';
import type { DocumentService } from '../../xapi/documents/document-service.js';
import { agentKey } from '../../xapi/rules/index.js';
import { EXTENSIONS, NAMESPACE, iri } from '../vocabulary.js';
import { actorOf, type LearnerFlowService } from './learner-flow-service.js';

export type FetchAnswer = { 'auth-token': string } | { 'error-code': '1' | '2' | '3'; 'error-text': string };

export interface Cmi5LaunchService {
  /**
   * Launches the external activity of the learner's current step (cmi5 8.1): writes LMS.LaunchData
   * (cmi5 10), records the launch, and returns the content URL with endpoint, fetch, actor,
   * registration and activityId.
   */
  launch(session: LtiSession, linkId: string, urls: { publicUrl: string }): Promise<string>;
  /** The fetch URL (cmi5 8.2): the auth-token once; later calls and unknown tokens get an error-code. */
  fetch(tenantId: string, launchId: string, token: string): Promise<FetchAnswer>;
  /** HTTP Basic key/secret of a launch token, or undefined when the key is not a launch key. */
  authenticate(key: string, secret: string): Promise<LrsPrincipal | undefined>;
}

const KEY_PREFIX = 'cmi5.';
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const launchKey = (tenantId: string, launchId: string) => `${KEY_PREFIX}${tenantId}.${launchId}`;
/** `cmi5.<tenant uuid>.<launch uuid>`, the shape of every launch key. */
const LAUNCH_KEY = /^cmi5\.[0-9a-f-]{36}\.[0-9a-f-]{36}$/i;

export function createCmi5LaunchService(deps: {
  flow: LearnerFlowService;
  launches: Cmi5LaunchRepository;
  documents: DocumentService;
}): Cmi5LaunchService {
  return {
    async launch(session, linkId, urls) {
      const state = await deps.flow.enter(session, linkId);
      if (state.kind !== 'step' || state.step.kind !== 'external' || !state.content.external)
        throw new ConflictError(
          'This step of the module is not an external activity; reload the module page.',
        );
      const external = state.content.external;
      const actor = actorOf(session);
      const cmi5Actor = { objectType: 'Agent', account: actor.account };
      const key = agentKey(cmi5Actor)!;
      const registration = state.attempt.id;
      const launchData = {
        contextTemplate: {
          registration,
          contextActivities: {
            grouping: [{ objectType: 'Activity', id: iri.module(session.tenantId, state.module.id) }],
          },
          extensions: { [EXTENSIONS.sessionId]: state.session.id },
        },
        launchMode: 'Normal',
        moveOn: external.moveOn,
        ...(external.masteryScore !== undefined ? { masteryScore: external.masteryScore } : {}),
        returnURL: `${urls.publicUrl}/learn/${encodeURIComponent(linkId)}`,
      };
      await deps.documents.put(
        session.tenantId,
        {
          kind: 'state',
          activityIri: external.activityId,
          agentKey: key,
          registration,
          documentId: 'LMS.LaunchData',
        },
        { content: Buffer.from(JSON.stringify(launchData)), contentType: 'application/json' },
        {},
        'optional',
      );
      const token = randomBytes(32).toString('base64url');
      const id = await deps.launches.insert({
        tenantId: session.tenantId,
        attemptId: registration,
        sessionId: state.session.id,
        activityId: external.activityId,
        agentKey: key,
        fetchHash: hash(token),
        expiresAt: session.expiresAt,
      });
      const url = new URL(external.url);
      url.searchParams.set('endpoint', `${urls.publicUrl}/xapi/`);
      url.searchParams.set('fetch', `${urls.publicUrl}/cmi5/fetch/${session.tenantId}/${id}/${token}`);
      url.searchParams.set('actor', JSON.stringify(cmi5Actor));
      url.searchParams.set('registration', registration);
      url.searchParams.set('activityId', external.activityId);
      return url.toString();
    },

    async fetch(tenantId, launchId, token) {
      const secret = randomBytes(32).toString('base64url');
      const taken = await deps.launches.takeFetch(tenantId, launchId, hash(token), hash(secret));
      if (taken === 'used')
        return {
          'error-code': '1',
          'error-text': 'The authorization token has already been returned, or the session has expired.',
        };
      if (taken === 'unknown') return { 'error-code': '2', 'error-text': 'This fetch URL is not valid.' };
      return { 'auth-token': Buffer.from(`${launchKey(tenantId, launchId)}:${secret}`).toString('base64') };
    },

    async authenticate(key, secret) {
      if (!key.startsWith(KEY_PREFIX)) return undefined;
      const [tenantId, launchId] = key.slice(KEY_PREFIX.length).split('.');
      const uuid = /^[0-9a-f-]{36}$/i;
      const refused = () =>
        new UnauthenticatedError(
          'This cmi5 launch token is not valid or has expired; relaunch the activity from the LMS.',
        );
      if (!tenantId || !launchId || !uuid.test(tenantId) || !uuid.test(launchId)) throw refused();
      const launch = await deps.launches.find(tenantId, launchId);
      const given = Buffer.from(hash(secret));
      if (!launch?.secretHash || launch.expiresAt <= new Date()) throw refused();
      const stored = Buffer.from(launch.secretHash);
      if (stored.length !== given.length || !timingSafeEqual(stored, given)) throw refused();
      return {
        tenantId,
        credentialId: launch.id,
        key,
        scopes: ['statements/write', 'statements/read/mine', 'state', 'profile'],
        authority: {
          objectType: 'Agent',
          name: 'cmi5 launch',
          account: { homePage: NAMESPACE, name: `cmi5-launch/${launch.id}` },
        },
        launch: {
          agentKey: launch.agentKey,
          registration: launch.attemptId,
          ...(launch.auId !== null ? { auLaunchId: launch.id } : {}),
        },
      };
    },
  };
}

/** LRS credentials that also accept cmi5 launch tokens (keys starting "cmi5."). */
export function withLaunchTokens(
  base: LrsCredentialService,
  cmi5: Pick<Cmi5LaunchService, 'authenticate'>,
): LrsCredentialService {
  return {
    ...base,
    async authenticate(key, secret) {
      return (await cmi5.authenticate(key, secret)) ?? base.authenticate(key, secret);
    },
    isPossibleKey(key) {
      return LAUNCH_KEY.test(key) || base.isPossibleKey(key);
    },
  };
}
