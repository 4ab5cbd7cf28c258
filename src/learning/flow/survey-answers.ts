import { ValidationError, type ErrorDetail } from '../../errors.js';
import type { ObservationForm, Survey, SurveyItem } from '../module-content.js';
import type { Answers } from './scoring.js';

export interface SurveyResponse {
  item: SurveyItem;
  /** Likert: the 1-based label number; NPS: 0..10; text: the trimmed text. */
  response: string;
}

export interface ObservationRating {
  item: ObservationForm['items'][number];
  /** 1-based label number of the item's scale. */
  response: string;
}

const MAX_TEXT = 2000;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v.length === 1 ? v[0] : '') : v);

function unknownIds(answers: Answers, known: Set<string>, problems: ErrorDetail[]): void {
  for (const id of Object.keys(answers))
    if (!known.has(id))
      problems.push({ path: id, message: 'is not an item of this form; reload the page and answer again' });
}

function inRange(v: string | undefined, min: number, max: number): boolean {
  if (v === undefined || !/^\d{1,2}$/.test(v)) return false;
  const n = Number(v);
  return n >= min && n <= max;
}

/**
 * Reads a reaction survey. Every item is optional (issue #15: learners see their results first and may
 * skip the survey): an unanswered item sends no statement, so an empty form skips the survey. A Likert
 * or NPS answer must be one of the offered points. Unknown item ids are refused as tampering.
 */
export function readSurvey(survey: Survey, answers: Answers): SurveyResponse[] {
  const problems: ErrorDetail[] = [];
  unknownIds(answers, new Set(survey.items.map((i) => i.id)), problems);
  const responses: SurveyResponse[] = [];
  survey.items.forEach((item, i) => {
    const label = `Item ${i + 1}`;
    const v = one(answers[item.id])?.trim();
    if (item.type === 'text') {
      if (v && v.length > MAX_TEXT)
        problems.push({ path: item.id, message: `${label}: keep the text under ${MAX_TEXT} characters` });
      else if (v) responses.push({ item, response: v });
      return;
    }
    const max = item.type === 'nps' ? 10 : item.scale.labels.length;
    const min = item.type === 'nps' ? 0 : 1;
    if (v === undefined || v === '') return;
    if (!inRange(v, min, max))
      problems.push({ path: item.id, message: `${label}: pick one of the offered points` });
    else responses.push({ item, response: String(Number(v)) });
  });
  if (problems.length)
    throw new ValidationError(
      `The survey is not complete: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  return responses;
}

/** Reads a manager's observation ratings: every behaviour rated on its scale. */
export function readObservation(form: ObservationForm, answers: Answers): ObservationRating[] {
  const problems: ErrorDetail[] = [];
  unknownIds(answers, new Set(form.items.map((i) => i.id)), problems);
  const ratings: ObservationRating[] = [];
  form.items.forEach((item, i) => {
    const v = one(answers[item.id])?.trim();
    if (!v) problems.push({ path: item.id, message: `Behaviour ${i + 1} has no rating yet` });
    else if (!inRange(v, 1, item.scale.labels.length))
      problems.push({ path: item.id, message: `Behaviour ${i + 1}: pick one of the offered ratings` });
    else ratings.push({ item, response: String(Number(v)) });
  });
  if (problems.length)
    throw new ValidationError(
      `The observation is not complete: ${problems.map((p) => p.message).join('; ')}.`,
      problems,
    );
  return ratings;
}
