import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { createLtiPlatformRepository } from '../storage/repositories/lti-platform-repository.js';
import { createLtiLaunchStateRepository } from '../storage/repositories/lti-launch-state-repository.js';
import { createLtiPeopleRepository } from '../storage/repositories/lti-people-repository.js';
import { createLtiSessionRepository } from '../storage/repositories/lti-session-repository.js';
import {
  createPlatformService,
  type PlatformRegistry,
  type PlatformService,
} from './platforms/platform-service.js';
import { createLaunchService, type LaunchRules, type LaunchService } from './launch/launch-service.js';
import { createCourseService, type CourseService } from './people/course-service.js';
import { createLtiGradeRepository } from '../storage/repositories/lti-grade-repository.js';
import type { JobQueue } from '../storage/job-queue.js';
import type { AdvantageClient } from './advantage/advantage-client.js';
import { createGradeService, type GradeService } from './grades/grade-service.js';
import { createRosterService, type RosterService } from './roster/roster-service.js';
import { createDeepLinkingService, type DeepLinkingService } from './deep-linking/deep-linking-service.js';
import { createModuleRepository } from '../storage/repositories/module-repository.js';
import { createLtiRegistrationTokenRepository } from '../storage/repositories/lti-registration-token-repository.js';
import {
  createRegistrationTokenService,
  type RegistrationTokenService,
} from './registration/registration-token-service.js';
import { createExportLinkRepository } from '../storage/repositories/export-link-repository.js';
import { createDownloadLinkService, type DownloadLinkService } from './launch/download-link-service.js';
import { createSessionTokenService, type SessionTokenService } from './launch/session-token-service.js';

export interface LtiServices {
  platforms: PlatformService;
  launches: LaunchService;
  courses: CourseService;
  grades: GradeService;
  rosters: RosterService;
  deepLinking: DeepLinkingService;
  /** One-time tokens an admin creates for LTI Dynamic Registration. */
  registrationTokens: RegistrationTokenService;
  downloadLinks: DownloadLinkService;
  /** Short-lived session tokens carried in links and forms where the session cookie is not sent. */
  sessionTokens: SessionTokenService;
}

export interface LtiServiceDeps {
  /** ltijs' side of registrations; absent where ltijs is not set up (then registering explains why). */
  registry?: PlatformRegistry;
  rules?: LaunchRules;
  /** AGS/NRPS/Deep Linking calls to platforms (ltijs). */
  advantage?: AdvantageClient;
  /** pg-boss; absent in processes that run no background work (then sending a score explains why). */
  jobs?: JobQueue;
  passbackRetry?: { limit: number; delaySeconds: number };
  /** NRPS page size asked of the platform (its `limit`); the platform may page smaller. */
  rosterPageSize?: number;
  /**
   * Secret signed download links are keyed on (config lti.key, so every app server accepts them); a
   * random one per process when absent.
   */
  downloadLinkSecret?: string;
  /** How long a signed download link works after its page was shown, seconds (default 300). */
  downloadLinkSeconds?: number;
  /** How long a session token in a page's links and forms works, seconds (default 1800). */
  sessionTokenSeconds?: number;
  /** The clock download links are checked against (tests). */
  now?: () => Date;
}

const DEFAULT_RULES: LaunchRules = {
  leewaySeconds: 5,
  maxTokenAgeSeconds: 60,
  sessionHours: 8,
  adminUsers: [],
};

const notStarted = (what: string) => async (): Promise<never> => {
  throw new Error(
    `LTI is not set up in this process (ltijs was not started), so ${what} is not possible here.`,
  );
};
const noAdvantage: AdvantageClient = {
  submitScore: notStarted('AGS'),
  members: notStarted('NRPS'),
  deepLinkingForm: notStarted('Deep Linking'),
};

const noRegistry: PlatformRegistry = {
  async register() {
    throw new Error(
      'LTI is not set up in this process (ltijs was not started), so platforms cannot be registered here.',
    );
  },
  async remove() {
    throw new Error(
      'LTI is not set up in this process (ltijs was not started), so platforms cannot be removed here.',
    );
  },
  rotateKey: notStarted('key rotation'),
  currentKeys: async () => [],
};

/** The LTI services (no express, no ltijs: the registry port hides the library). */
export function createLtiServices(
  db: Kysely<Database>,
  tenants: TenantService,
  deps: LtiServiceDeps = {},
): LtiServices {
  const people = createLtiPeopleRepository(db);
  const sessions = createLtiSessionRepository(db);
  const secret = deps.downloadLinkSecret ?? randomBytes(32).toString('hex');
  const platforms = createPlatformService({
    platforms: createLtiPlatformRepository(db),
    tenants,
    registry: deps.registry ?? noRegistry,
  });
  return {
    platforms,
    launches: createLaunchService({
      platforms,
      launchState: createLtiLaunchStateRepository(db),
      people,
      sessions,
      rules: deps.rules ?? DEFAULT_RULES,
    }),
    courses: createCourseService({ people }),
    grades: createGradeService({
      db,
      grades: createLtiGradeRepository(db),
      platforms,
      client: deps.advantage ?? noAdvantage,
      jobs: deps.jobs,
      retry: deps.passbackRetry ?? { limit: 5, delaySeconds: 5 },
    }),
    rosters: createRosterService({
      people,
      platforms,
      client: deps.advantage ?? noAdvantage,
      jobs: deps.jobs,
      pageSize: deps.rosterPageSize ?? 100,
    }),
    deepLinking: createDeepLinkingService({
      client: deps.advantage ?? noAdvantage,
      modules: createModuleRepository(db),
    }),
    registrationTokens: createRegistrationTokenService({
      tokens: createLtiRegistrationTokenRepository(db),
      tenants,
    }),
    downloadLinks: createDownloadLinkService({
      secret,
      ttlSeconds: deps.downloadLinkSeconds ?? 300,
      sessions,
      uses: createExportLinkRepository(db),
      now: deps.now,
    }),
    sessionTokens: createSessionTokenService({
      secret,
      ttlSeconds: deps.sessionTokenSeconds ?? 1800,
      sessions,
      now: deps.now,
    }),
  };
}
