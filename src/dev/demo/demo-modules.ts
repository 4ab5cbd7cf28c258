import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { ModuleContent } from '../../learning/module-content.js';

const agree = { labels: ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'] };
const observed = { labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] };

/** The development LMS's link (Forklift Safety 101, module 1) that assigns "Load limits". */
export const LOAD_LIMITS_LINK = 'safety-101-module-1';

/** "Load limits": the demo module of the development LMS (pages, pre/post tests, survey, observation). */
export const LOAD_LIMITS: { title: string; content: ModuleContent } = {
  title: 'Load limits',
  content: {
    pages: [
      {
        id: 'capacity-plate',
        title: 'Read the capacity plate',
        format: 'markdown',
        body: [
          'Every forklift carries a **capacity plate**. It states the heaviest load the truck may lift',
          'at a given **load centre** (the distance from the fork face to the load’s centre of gravity).',
          '',
          '- Rated capacity: for example *2,500 kg at 500 mm*.',
          '- A longer load centre means a **lower** safe load.',
          '- Attachments (side shifters, clamps) reduce capacity: read the attachment plate too.',
        ].join('\n'),
      },
      {
        id: 'stability-triangle',
        title: 'The stability triangle',
        format: 'markdown',
        body: [
          'A forklift rests on three points: the two front wheels and the rear axle pivot. The combined',
          'centre of gravity must stay **inside this triangle**.',
          '',
          '1. Carry loads low (about 15 cm above the floor) and tilted back.',
          '2. Never turn on a slope; drive loaded trucks with the load uphill.',
          '3. Slow down before turns: speed moves the centre of gravity outwards.',
        ].join('\n'),
      },
    ],
    preTest: {
      masteryScore: 0.8,
      questions: [
        {
          id: 'plate',
          type: 'single-choice',
          prompt: 'Where do you find the maximum load a forklift may lift?',
          choices: [
            { id: 'plate', text: 'On the capacity plate' },
            { id: 'manual', text: 'In the driver’s memory' },
            { id: 'pallet', text: 'On the pallet label' },
          ],
          correct: ['plate'],
        },
        {
          id: 'centre',
          type: 'true-false',
          prompt: 'A longer load centre allows a heavier load.',
          correct: false,
        },
      ],
    },
    postTest: {
      masteryScore: 0.75,
      questions: [
        {
          id: 'plate',
          type: 'single-choice',
          prompt: 'Where do you find the maximum load a forklift may lift?',
          choices: [
            { id: 'plate', text: 'On the capacity plate' },
            { id: 'manual', text: 'In the driver’s memory' },
            { id: 'pallet', text: 'On the pallet label' },
          ],
          correct: ['plate'],
        },
        {
          id: 'centre',
          type: 'true-false',
          prompt: 'A longer load centre allows a heavier load.',
          correct: false,
        },
        {
          id: 'reduce',
          type: 'multiple-choice',
          prompt: 'Which of these reduce the safe load?',
          choices: [
            { id: 'attachment', text: 'A clamp attachment' },
            { id: 'long-centre', text: 'A longer load centre' },
            { id: 'new-tyres', text: 'New tyres' },
          ],
          correct: ['attachment', 'long-centre'],
        },
        {
          id: 'height',
          type: 'numeric',
          prompt: 'About how many centimetres above the floor should a load travel?',
          correct: 15,
          tolerance: 5,
        },
        {
          id: 'shape',
          type: 'fill-in',
          prompt: 'The combined centre of gravity must stay inside the stability ____.',
          correct: ['triangle'],
        },
      ],
    },
    survey: {
      anonymous: true,
      items: [
        { id: 'useful', type: 'likert', prompt: 'The module will help me in my daily work.', scale: agree },
        {
          id: 'recommend',
          type: 'nps',
          prompt: 'How likely are you to recommend this module to a colleague?',
        },
        { id: 'comment', type: 'text', prompt: 'What should we improve?' },
      ],
    },
    observation: {
      items: [
        {
          id: 'checks-plate',
          behaviour: 'Checks the capacity plate before lifting an unfamiliar load',
          scale: observed,
        },
        { id: 'low-carry', behaviour: 'Carries loads low and tilted back', scale: observed },
      ],
    },
    attemptLimit: 3,
  },
};

/** A survey-only module for the dev LMS course survey link. */
export const COURSE_SURVEY: { title: string; content: ModuleContent } = {
  title: 'Course survey',
  content: {
    pages: [],
    survey: {
      anonymous: true,
      items: [
        { id: 'overall', type: 'likert', prompt: 'Overall, the course was worth my time.', scale: agree },
        {
          id: 'recommend',
          type: 'nps',
          prompt: 'How likely are you to recommend this course to a colleague?',
        },
      ],
    },
  },
};

/**
 * Creates the demo modules of a tenant when missing (found by title), each with one published version.
 * Idempotent: a second call returns the same ids and writes nothing.
 */
export async function seedDemoModules(
  modules: ModuleRepository,
  tenantId: string,
): Promise<{ loadLimits: string; courseSurvey: string }> {
  const existing = await modules.list(tenantId);
  const ensure = async (m: { title: string; content: ModuleContent }) => {
    const found = existing.find((e) => e.title.toLowerCase() === m.title.toLowerCase());
    const module = found ?? (await modules.insert(tenantId, { title: m.title }));
    if (!(await modules.latestPublished(tenantId, module.id))) {
      await modules.saveDraft(tenantId, module.id, m.content);
      await modules.publishDraft(tenantId, module.id);
    }
    return module.id;
  };
  return { loadLimits: await ensure(LOAD_LIMITS), courseSurvey: await ensure(COURSE_SURVEY) };
}
