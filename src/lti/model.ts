/**
 * The LTI area's model: platforms, the people and courses met through launches, launch sessions and
 * grade passbacks. Repositories take and return these types; they carry no SQL.
 */

/** Which Yardstick area a launch leads to, decided from the LIS roles (see launch/roles.ts). */
export type RoleKind = 'learner' | 'instructor' | 'admin' | 'other';

/** How a platform was registered: CLI, admin page, LTI Dynamic Registration or the development LMS. */
export type LtiPlatformSource = 'cli' | 'admin' | 'dynamic' | 'dev-lms';

export interface LtiSession {
  tenantId: string;
  id: string;
  platformId: string;
  userId: string;
  contextId: string | null;
  roleKind: RoleKind;
  roles: string[];
  messageType: string;
  resourceLinkId: string | null;
  /** Launch claims kept for later calls (AGS endpoint, deep-linking settings, ...). */
  launch: Record<string, unknown>;
  expiresAt: Date;
}

export interface LtiPlatform {
  tenantId: string;
  id: string;
  issuer: string;
  clientId: string;
  name: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  status: 'active' | 'pending';
  source: LtiPlatformSource;
  createdAt: Date;
  deploymentIds: string[];
}

export type NewLtiPlatform = Omit<LtiPlatform, 'id' | 'createdAt'>;

export interface LtiUserInput {
  tenantId: string;
  platformId: string;
  sub: string;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  email?: string | null;
  /** xAPI account of the learner (xAPI Data 2.4.2.1): homePage = issuer, name = sub. */
  xapiHomePage: string;
  xapiName: string;
}

export interface CourseContextInput {
  tenantId: string;
  platformId: string;
  deploymentId: string;
  contextId: string;
  title?: string | null;
  label?: string | null;
  membershipsUrl?: string | null;
  lineitemsUrl?: string | null;
}

export interface EnrollmentInput {
  tenantId: string;
  contextId: string;
  userId: string;
  roles: string[];
  roleKind: RoleKind;
  source: 'launch' | 'roster' | 'sample';
}

export interface LtiUser {
  id: string;
  sub: string;
  name: string | null;
  email: string | null;
  xapiHomePage: string;
  xapiName: string;
}

export interface CourseContext {
  id: string;
  platformId: string;
  deploymentId: string;
  contextId: string;
  title: string | null;
  label: string | null;
  membershipsUrl: string | null;
  lineitemsUrl: string | null;
  rosterSyncedAt: Date | null;
}

export interface EnrollmentRow {
  userId: string;
  sub: string;
  name: string | null;
  email: string | null;
  roleKind: RoleKind;
  roles: string[];
  status: 'active' | 'inactive';
  /** 'sample': a generated demo learner, whom no LMS lists and no roster sync deactivates. */
  source: 'launch' | 'roster' | 'sample';
}

export interface GradePassback {
  tenantId: string;
  id: string;
  platformId: string;
  contextId: string;
  userId: string;
  userSub: string;
  userName: string | null;
  lineitemUrl: string;
  scoreGiven: number | null;
  scoreMaximum: number | null;
  activityProgress: string;
  gradingProgress: string;
  scoreTimestamp: Date;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

export type NewGradePassback = Pick<
  GradePassback,
  | 'tenantId'
  | 'platformId'
  | 'contextId'
  | 'userId'
  | 'lineitemUrl'
  | 'scoreGiven'
  | 'scoreMaximum'
  | 'activityProgress'
  | 'gradingProgress'
  | 'scoreTimestamp'
>;
