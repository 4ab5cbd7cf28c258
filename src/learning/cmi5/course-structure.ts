import type { Cmi5Au, Cmi5Block, MoveOn } from '../module-content.js';
import type { ErrorDetail } from '../../errors.js';
import { ContentPackageError } from './package-limits.js';
import { parseXml, type XmlElement } from './xml-tree.js';

/** The file name of the course structure at a package's root (cmi5 14.0). */
export const COURSE_STRUCTURE_FILE = 'cmi5.xml';

/** An AU as read from cmi5.xml: the Yardstick activity id is added once the module exists. */
export type ParsedAu = Omit<Cmi5Au, 'activityId'> & { line: number };
export type ParsedBlock = Omit<Cmi5Block, 'items'> & { items: ParsedItem[] };
export type ParsedItem = ParsedAu | ParsedBlock;

export interface CourseStructure {
  courseId: string;
  title: string;
  description: string;
  items: ParsedItem[];
}

const MOVE_ON: readonly MoveOn[] = [
  'Passed',
  'Completed',
  'CompletedAndPassed',
  'CompletedOrPassed',
  'NotApplicable',
];
const LAUNCH_METHODS = ['AnyWindow', 'OwnWindow'] as const;
const TEXT_CHILDREN = ['title', 'description'];
const KNOWN: Record<string, string[]> = {
  course: [...TEXT_CHILDREN, 'objectives'],
  block: [...TEXT_CHILDREN, 'objectives', 'au', 'block'],
  au: [...TEXT_CHILDREN, 'objectives', 'url', 'launchParameters', 'entitlementKey'],
};

/**
 * Reads and checks a course structure (cmi5 13.1): `courseStructure` holds one `course` (attribute
 * `id`; `title`, `description`), optional `objectives`, and one or more `au` and `block` elements in
 * the order learners meet them. A block has an `id`, a title, a description and at least one AU or
 * block; an AU has an `id`, a title, a description and a `url`, and optionally `moveOn` (default
 * NotApplicable), `masteryScore` (0 to 1), `launchMethod` (default AnyWindow), `activityType`,
 * `launchParameters` and `entitlementKey`. Ids are IRIs, unique within the structure (13.1.4).
 * Elements of other namespaces are extensions and ignored. Every problem is reported at once, each
 * naming its element and line; nothing is returned unless all is well.
 */
export function parseCourseStructure(xml: string): CourseStructure {
  const root = parseXml(xml, COURSE_STRUCTURE_FILE);
  const errors: ErrorDetail[] = [];
  const problem = (el: XmlElement, message: string) =>
    errors.push({ path: `${COURSE_STRUCTURE_FILE}:${el.line} <${el.name}>`, message });
  const ns = root.namespace;
  const own = (el: XmlElement) => el.children.filter((c) => c.namespace === ns);
  const ids = new Map<string, number>();

  const checkId = (el: XmlElement): string => {
    const id = el.attributes.id?.trim() ?? '';
    if (!id) problem(el, `<${el.name}> on line ${el.line} has no id attribute; give it a unique IRI`);
    else if (!isIri(id))
      problem(
        el,
        `the id "${id}" of <${el.name}> on line ${el.line} is not an IRI (e.g. https://example.com/...)`,
      );
    else if (ids.has(id))
      problem(el, `the id "${id}" of <${el.name}> on line ${el.line} is already used on line ${ids.get(id)}`);
    else ids.set(id, el.line);
    return id;
  };

  const checkChildren = (el: XmlElement) => {
    for (const c of own(el))
      if (!KNOWN[el.name]!.includes(c.name))
        problem(c, `<${c.name}> on line ${c.line} is not allowed inside <${el.name}> (cmi5 13.1)`);
  };

  const textOf = (el: XmlElement, child: string): string => {
    const found = own(el).find((c) => c.name === child);
    const text = found ? langstring(found) : '';
    if (!text) problem(el, `<${el.name}> on line ${el.line} needs a <${child}> with a <langstring>`);
    return text;
  };

  const items = (el: XmlElement): ParsedItem[] =>
    own(el).flatMap((c): ParsedItem[] => (c.name === 'au' ? [au(c)] : c.name === 'block' ? [block(c)] : []));

  const block = (el: XmlElement): ParsedBlock => {
    checkChildren(el);
    const b: ParsedBlock = {
      kind: 'block',
      id: checkId(el),
      title: textOf(el, 'title'),
      items: items(el),
    };
    textOf(el, 'description');
    if (!b.items.length)
      problem(el, `<block> on line ${el.line} holds no <au> or <block>; add one or remove it`);
    return b;
  };

  const au = (el: XmlElement): ParsedAu => {
    checkChildren(el);
    const a = el.attributes;
    const url = own(el).find((c) => c.name === 'url');
    const parsed: ParsedAu = {
      kind: 'au',
      id: checkId(el),
      title: textOf(el, 'title'),
      url: url?.text.trim() ?? '',
      launchMethod: 'AnyWindow',
      moveOn: 'NotApplicable',
      line: el.line,
    };
    textOf(el, 'description');
    if (!parsed.url) problem(el, `<au> on line ${el.line} needs a <url> with its launch URL`);
    if (a.moveOn !== undefined) {
      if ((MOVE_ON as string[]).includes(a.moveOn)) parsed.moveOn = a.moveOn as MoveOn;
      else problem(el, `moveOn="${a.moveOn}" on line ${el.line} is not one of ${MOVE_ON.join(', ')}`);
    }
    if (a.launchMethod !== undefined) {
      if ((LAUNCH_METHODS as readonly string[]).includes(a.launchMethod))
        parsed.launchMethod = a.launchMethod as Cmi5Au['launchMethod'];
      else problem(el, `launchMethod="${a.launchMethod}" on line ${el.line} must be AnyWindow or OwnWindow`);
    }
    if (a.masteryScore !== undefined) {
      const score = Number(a.masteryScore);
      if (a.masteryScore.trim() !== '' && score >= 0 && score <= 1) parsed.masteryScore = score;
      else
        problem(
          el,
          `masteryScore="${a.masteryScore}" on line ${el.line} must be a decimal from 0 to 1 (0.8 means 80%)`,
        );
    }
    if (a.activityType) parsed.activityType = a.activityType;
    const params = own(el)
      .find((c) => c.name === 'launchParameters')
      ?.text.trim();
    if (params) parsed.launchParameters = params;
    const entitlement = own(el)
      .find((c) => c.name === 'entitlementKey')
      ?.text.trim();
    if (entitlement) parsed.entitlementKey = entitlement;
    return parsed;
  };

  if (root.name !== 'courseStructure')
    throw new ContentPackageError(
      `${COURSE_STRUCTURE_FILE} starts with <${root.name}> on line ${root.line}, not <courseStructure>; is this a cmi5 package (and not SCORM or xAPI/TinCan)? Publish the course as cmi5.`,
    );
  const courses = own(root).filter((c) => c.name === 'course');
  if (courses.length !== 1)
    throw new ContentPackageError(
      `${COURSE_STRUCTURE_FILE} must hold exactly one <course> inside <courseStructure> (it has ${courses.length}).`,
    );
  const courseEl = courses[0]!;
  checkChildren(courseEl);
  for (const c of own(root))
    if (!['course', 'objectives', 'au', 'block'].includes(c.name))
      problem(c, `<${c.name}> on line ${c.line} is not allowed inside <courseStructure> (cmi5 13.1)`);
  const structure: CourseStructure = {
    courseId: checkId(courseEl),
    title: textOf(courseEl, 'title'),
    description: textOf(courseEl, 'description'),
    items: items(root),
  };
  if (!structure.items.length)
    problem(root, `<courseStructure> holds no <au>; a course needs at least one assignable unit`);
  if (errors.length) throw invalidStructure(errors);
  return structure;
}

/** Every AU of the structure, depth first: the order learners meet them. */
export function ausOf(items: ParsedItem[]): ParsedAu[] {
  return items.flatMap((i) => (i.kind === 'au' ? [i] : ausOf(i.items)));
}

/**
 * Checks each AU's url (cmi5 13.1.4): an absolute http(s) URL, or a relative one resolved from the
 * package root that names a file of the package (`files`) without leaving it. Throws every problem at
 * once, each naming the AU and its line.
 */
export function checkAuUrls(structure: CourseStructure, files: ReadonlySet<string>): void {
  const errors: ErrorDetail[] = [];
  for (const au of ausOf(structure.items)) {
    const why = urlProblem(au.url, files);
    if (why)
      errors.push({
        path: `${COURSE_STRUCTURE_FILE}:${au.line} <au>`,
        message: `the url "${au.url}" of <au> "${au.title}" on line ${au.line} ${why}`,
      });
  }
  if (errors.length) throw invalidStructure(errors);
}

/** The package path a relative AU url names ("lesson1/index.html?x=1" -> "lesson1/index.html"). */
export function packagePathOf(url: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) || url.startsWith('//')) return undefined;
  const path = url.split(/[?#]/)[0]!.replace(/^\.\//, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function urlProblem(url: string, files: ReadonlySet<string>): string | undefined {
  if (url.startsWith('//')) return 'has no scheme; write it as https://...';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) {
    try {
      const u = new URL(url);
      if (u.protocol === 'http:' || u.protocol === 'https:') return undefined;
    } catch {
      return 'is not a valid URL';
    }
    return 'uses a scheme other than http or https';
  }
  const path = packagePathOf(url)!;
  if (path.startsWith('/'))
    return 'is an absolute path; make it relative to cmi5.xml (e.g. "lesson1/index.html")';
  if (path.split('/').includes('..'))
    return 'points outside the package ("../"); put the file inside the package';
  if (!files.has(path)) return `names "${path}", which is not in the package; add the file or fix the url`;
  return undefined;
}

/** The text of a langstring element (cmi5 13.1): en-US, then any English, then the first one. */
function langstring(el: XmlElement): string {
  const strings = el.children.filter((c) => c.name === 'langstring');
  const pick =
    strings.find((s) => s.attributes.lang?.toLowerCase() === 'en-us') ??
    strings.find((s) => s.attributes.lang?.toLowerCase().startsWith('en')) ??
    strings[0];
  return (pick?.text ?? '').trim();
}

function isIri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value);
}

function invalidStructure(errors: ErrorDetail[]): ContentPackageError {
  const shown = errors.slice(0, 5).map((e) => e.message);
  const more = errors.length > 5 ? ` and ${errors.length - 5} more` : '';
  return new ContentPackageError(
    `${COURSE_STRUCTURE_FILE} is not a valid cmi5 course structure: ${shown.join('; ')}${more}. Fix it (or publish the course again) and import it once more.`,
    errors,
  );
}
