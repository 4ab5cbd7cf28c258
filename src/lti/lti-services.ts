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

export interface LtiServices {
  platforms: PlatformService;
  launches: LaunchService;
  courses: CourseService;
}

export interface LtiServiceDeps {
  /** ltijs' side of registrations; absent where ltijs is not set up (then registering explains why). */
  registry?: PlatformRegistry;
  rules?: LaunchRules;
}

const DEFAULT_RULES: LaunchRules = {
  leewaySeconds: 5,
  maxTokenAgeSeconds: 60,
  sessionHours: 8,
  adminUsers: [],
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
};

/** The LTI services (no express, no ltijs: the registry port hides the library). */
export function createLtiServices(
  db: Kysely<Database>,
  tenants: TenantService,
  deps: LtiServiceDeps = {},
): LtiServices {
  const people = createLtiPeopleRepository(db);
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
      sessions: createLtiSessionRepository(db),
      rules: deps.rules ?? DEFAULT_RULES,
    }),
    courses: createCourseService({ people }),
  };
}
