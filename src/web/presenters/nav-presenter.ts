import type { LtiSession } from '../../lti/model.js';

/** One entry of the in-frame menu. */
export interface NavItem {
  label: string;
  href: string;
  /** The entry whose section the current page belongs to (aria-current). */
  current: boolean;
}

/** One step of the breadcrumb trail; the last one (the page itself) has no link. */
export interface Crumb {
  label: string;
  href?: string;
}

/** What the layout shows around every page a launch session reaches. */
export interface NavModel {
  /** Where the logo leads: the role's home (admin home, course report, the learner's module). */
  home: string;
  /** Accessible name of the menu, e.g. "Admin menu". */
  label: string;
  items: NavItem[];
  /** Home, then the section, then this page; empty on the home page itself. */
  crumbs: Crumb[];
}

type Session = Pick<LtiSession, 'roleKind' | 'contextId' | 'resourceLinkId'>;

/** The admin pages, in menu order; each also listed with its purpose on the admin home. */
export const ADMIN_PAGES: ReadonlyArray<{ label: string; href: string; purpose: string }> = [
  { label: 'Home', href: '/admin', purpose: 'Start here: every admin page and the courses seen so far.' },
  {
    label: 'Programs',
    href: '/admin/programs',
    purpose: 'Pilot programs: people, cohorts, costs, attribution and the ROI verdict for the board.',
  },
  {
    label: 'Modules',
    href: '/admin/modules',
    purpose: 'Learner modules: write or import them, publish versions, run A/B experiments.',
  },
  {
    label: 'Outcome imports',
    href: '/admin/outcome-imports',
    purpose: 'Upload payroll, plan participation, claims or HRIS files that measure results after training.',
  },
  {
    label: 'LRS credentials',
    href: '/admin/lrs-credentials',
    purpose: 'Keys that let xAPI and cmi5 content send statements to the learning record store.',
  },
  {
    label: 'Privacy',
    href: '/admin/privacy',
    purpose: "A person's data: find, export or erase it; how long each kind of data is kept.",
  },
  {
    label: 'LMS platforms',
    href: '/admin/platforms',
    purpose: 'The LMSs that launch Yardstick: register, approve and check deployments.',
  },
];

function itemsFor(session: Session): { label: string; items: Array<Omit<NavItem, 'current'>> } {
  if (session.roleKind === 'admin')
    return { label: 'Admin menu', items: ADMIN_PAGES.map(({ label, href }) => ({ label, href })) };
  if (session.roleKind === 'instructor') {
    if (!session.contextId) return { label: 'Instructor menu', items: [] };
    const course = `/courses/${encodeURIComponent(session.contextId)}`;
    return {
      label: 'Course menu',
      items: [
        { label: 'Course report', href: `${course}/report` },
        { label: 'Learner progress', href: `${course}/progress` },
        { label: 'Data quality', href: `${course}/report/quality` },
        { label: 'Grade passbacks', href: `${course}/passbacks` },
      ],
    };
  }
  const module = session.resourceLinkId ? `/learn/${encodeURIComponent(session.resourceLinkId)}` : undefined;
  return { label: 'Learner menu', items: module ? [{ label: 'My module', href: module }] : [] };
}

/** The item whose address is the longest prefix of `path` (by whole segments). */
function sectionOf<T extends { href: string }>(items: T[], path: string): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    const inside = path === item.href || path.startsWith(`${item.href}/`);
    if (inside && (!best || item.href.length > best.href.length)) best = item;
  }
  return best;
}

/**
 * The menu, the logo's target and the breadcrumbs of a page a launch session reaches. Lists only pages
 * the session's role may open: admins the admin pages, instructors their launch course's pages,
 * learners their module. `path` is the request path without its query; `title` names the page.
 */
export function presentNav(session: Session, path: string, title?: string): NavModel {
  const { label, items } = itemsFor(session);
  const home = items[0]?.href ?? '/';
  const section = sectionOf(items, path);
  const crumbs: Crumb[] = [];
  const first = items[0];
  if (first && path !== home) {
    crumbs.push({ label: first.label === 'Home' ? 'Admin home' : first.label, href: home });
    if (section && section.href !== home) crumbs.push({ label: section.label, href: section.href });
    if (section?.href !== path) crumbs.push({ label: title ?? 'This page' });
    else crumbs[crumbs.length - 1] = { label: section.label };
  }
  return {
    home,
    label,
    items: items.map((item) => ({ ...item, current: item === section })),
    crumbs: crumbs.length > 1 ? crumbs : [],
  };
}
