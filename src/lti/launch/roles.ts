import type { RoleKind } from '../model.js';

/** LIS role vocabularies (LTI 1.3 Core Appendix A.2). */
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';

const ADMIN_ROLES = new Set([
  `${LIS}institution/person#Administrator`,
  `${LIS}system/person#Administrator`,
  `${LIS}system/person#SysAdmin`,
]);
const INSTRUCTOR_ROLES = new Set([
  `${LIS}membership#Instructor`,
  `${LIS}membership/Instructor#TeachingAssistant`,
  `${LIS}membership#ContentDeveloper`,
  `${LIS}institution/person#Instructor`,
  `${LIS}institution/person#Faculty`,
  'Instructor',
]);
const LEARNER_ROLES = new Set([
  `${LIS}membership#Learner`,
  `${LIS}institution/person#Student`,
  `${LIS}institution/person#Learner`,
  'Learner',
]);

/**
 * Which Yardstick area a set of LIS roles leads to: admin beats instructor beats learner. Sub-roles
 * (`membership/Instructor#TeachingAssistant`) count as their principal role; context roles in the
 * deprecated simple form ("Instructor", LTI 1.3 Core A.2.3.1) are accepted. `adminUsers` (emails or
 * subs, from config) always lead to admin.
 */
export function classifyRoles(
  roles: readonly string[],
  user: { sub: string; email?: string | null },
  adminUsers: readonly string[] = [],
): RoleKind {
  const listed = adminUsers.map((a) => a.trim().toLowerCase()).filter(Boolean);
  if (listed.includes(user.sub.toLowerCase()) || (user.email && listed.includes(user.email.toLowerCase())))
    return 'admin';
  if (roles.some((r) => ADMIN_ROLES.has(r))) return 'admin';
  if (roles.some((r) => INSTRUCTOR_ROLES.has(r) || r.startsWith(`${LIS}membership/Instructor#`)))
    return 'instructor';
  if (roles.some((r) => LEARNER_ROLES.has(r) || r.startsWith(`${LIS}membership/Learner#`))) return 'learner';
  return 'other';
}

/** Parses the comma-separated `lti.adminUsers` setting. */
export function parseAdminUsers(setting: string): string[] {
  return setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
