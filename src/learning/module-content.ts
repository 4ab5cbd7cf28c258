/**
 * What a module version contains. A published version is immutable: edits make a new draft version.
 * Stored as JSON in `module_version.content`; validated (per field) by the authoring service before it
 * is saved. Ids inside a version (page, question, item, choice ids) are the author's, stable across
 * versions so answers and reports line up; they appear in activity IRIs.
 */
export interface ModuleContent {
  /** Built-in pages, or an external xAPI / cmi5 activity instead (then `pages` is empty). */
  pages: ContentPage[];
  external?: ExternalActivity;
  /** Instead of pages: a cmi5 course imported from a package (docs/content-packages.md). */
  cmi5?: Cmi5Course;
  preTest?: Test;
  postTest?: Test;
  /** Level-1 reaction survey, after the post-test. */
  survey?: Survey;
  /** Level-3 form a manager fills in about a named learner. */
  observation?: ObservationForm;
  /** How many attempts a learner may start; unlimited when absent. */
  attemptLimit?: number;
  /**
   * The author's choice: after a failed post-test, the results page lists the questions answered
   * wrong with the learner's answer and the right one. On unless false.
   */
  reviewAfterFail?: boolean;
}

export interface ContentPage {
  id: string;
  title: string;
  format: 'markdown' | 'html';
  /** Source as authored; rendered and sanitized (sanitize-html) on display. */
  body: string;
}

export interface ExternalActivity {
  /** The content's launch URL; Yardstick appends the cmi5 launch parameters. */
  url: string;
  /** The activity id the content reports against (cmi5 `activityId`). */
  activityId: string;
  /** cmi5 moveOn criterion. */
  moveOn: 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';
  masteryScore?: number;
}

export type MoveOn = ExternalActivity['moveOn'];

/**
 * A cmi5 course structure (cmi5 13.1) as imported from a package: its blocks and AUs in the
 * order of `cmi5.xml`, which is the order learners meet them. Blocks only group.
 */
export interface Cmi5Course {
  /** The `content_package` whose files the relative AU URLs point into. */
  packageId: string;
  /** The course's publisher id (`course@id`, an IRI); re-importing the same id makes a new version. */
  courseId: string;
  title: string;
  description: string;
  items: Cmi5CourseItem[];
}

export type Cmi5CourseItem = Cmi5Block | Cmi5Au;

export interface Cmi5Block {
  kind: 'block';
  /** The block's publisher id (an IRI). */
  id: string;
  title: string;
  items: Cmi5CourseItem[];
}

export interface Cmi5Au {
  kind: 'au';
  /** The AU's publisher id (`au@id`, an IRI). */
  id: string;
  /** The activity id the AU reports against (cmi5 8.1: the LMS passes it as `activityId`). */
  activityId: string;
  title: string;
  /** A path inside the package (served under /content/...) or an absolute http(s) URL. */
  url: string;
  launchMethod: 'AnyWindow' | 'OwnWindow';
  moveOn: MoveOn;
  /** 0..1, compared with the scaled score the AU reports. */
  masteryScore?: number;
  launchParameters?: string;
  entitlementKey?: string;
  activityType?: string;
}

export interface Test {
  questions: Question[];
  /** 0..1 share of points needed to pass (compared with the scaled score). */
  masteryScore: number;
}

export type Question = ChoiceQuestion | TrueFalseQuestion | NumericQuestion | FillInQuestion;

interface QuestionBase {
  id: string;
  prompt: string;
  /** Points for a correct answer; default 1. */
  points?: number;
}

export interface ChoiceQuestion extends QuestionBase {
  type: 'single-choice' | 'multiple-choice';
  choices: { id: string; text: string }[];
  /** Choice ids that are correct (exactly one for single-choice; all and only these for multiple). */
  correct: string[];
}

export interface TrueFalseQuestion extends QuestionBase {
  type: 'true-false';
  correct: boolean;
}

export interface NumericQuestion extends QuestionBase {
  type: 'numeric';
  correct: number;
  /** Accepted absolute difference; 0 when absent. */
  tolerance?: number;
}

export interface FillInQuestion extends QuestionBase {
  type: 'fill-in';
  /** Accepted answers, compared trimmed and case-insensitively. */
  correct: string[];
}

export interface Survey {
  /** Anonymous unless set to false: answers are never tied to a person. */
  anonymous: boolean;
  items: SurveyItem[];
}

export type SurveyItem =
  | { id: string; type: 'likert'; prompt: string; scale: LikertScale }
  | { id: string; type: 'nps'; prompt: string }
  | { id: string; type: 'text'; prompt: string };

/** Ordered labels, lowest first (e.g. 5 labels from "Strongly disagree" to "Strongly agree"). */
export interface LikertScale {
  labels: string[];
}

export interface ObservationForm {
  items: { id: string; behaviour: string; scale: LikertScale }[];
}
