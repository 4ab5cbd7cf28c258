import type { WorldTopic } from '../synthetic/course-world.js';
import { QUESTION_BANK } from '../synthetic/question-bank.js';

/**
 * What the demo's generated modules teach, per course of the development LMS: Forklift Safety 101's own
 * safety modules, and the modules of the three pilot programs of /work/shared/seed-examples.md (Case A's
 * four-module 401(k) curriculum, Case B's benefits-navigation module, the six-week wellbeing program).
 * Each topic's link id is the development LMS link that assigns it (dev-lms-seed.ts).
 */

const page = (title: string, ...lines: string[]) => ({ title, body: lines.join('\n') });

export const FORKLIFT_TOPICS: WorldTopic[] = [
  {
    title: 'Pre-shift inspection',
    linkId: 'safety-101-inspection',
    questions: [
      [
        'When do you inspect a forklift?',
        'Before every shift',
        'Once a month',
        'After an accident only',
        'Never: maintenance does it',
      ],
      [
        'A hydraulic leak is found. What now?',
        'Tag the truck out of service and report it',
        'Drive slowly',
        'Wipe it and carry on',
        'Top up and ignore it',
      ],
      [
        'Which is checked with the engine off?',
        'Tyres, forks and chains',
        'The horn',
        'The lift controls',
        'The brakes under load',
      ],
      [
        'Who may repair a faulty truck?',
        'An authorised technician',
        'Any driver',
        'The shift lead',
        'Whoever found the fault',
      ],
      [
        'Where is the inspection recorded?',
        'On the pre-shift checklist',
        'Nowhere',
        'In a personal notebook',
        'On the capacity plate',
      ],
    ],
    pages: [
      page(
        'Walk around the truck',
        'Check tyres, forks, chains and the overhead guard **before** you sit down.',
      ),
      page('Test the controls', 'With the engine on: horn, lights, brakes, steering, lift and tilt.'),
      page('Report faults', 'A fault means the truck is **tagged out** until a technician signs it off.'),
    ],
    behaviours: ['Completes the checklist before the first lift', 'Tags out a faulty truck'],
  },
  {
    title: 'Pedestrians and blind spots',
    linkId: 'safety-101-pedestrians',
    questions: [
      [
        'A pedestrian steps into your aisle. Who has the right of way?',
        'The pedestrian',
        'The forklift',
        'Whoever is faster',
        'The heavier load',
      ],
      [
        'How do you drive when the load blocks your view?',
        'In reverse, looking in the direction of travel',
        'Forwards, slowly',
        'With the horn on',
        'With the load raised high',
      ],
      [
        'What do you do at a blind corner?',
        'Stop, sound the horn, look, then go',
        'Speed up to clear it',
        'Flash the lights only',
        'Nothing: mirrors are enough',
      ],
      [
        'Where may people walk in the warehouse?',
        'In the marked walkways',
        'Anywhere',
        'Between racks',
        'Behind a moving truck',
      ],
      [
        'May someone ride on the forks?',
        'Never',
        'For short distances',
        'When holding on',
        'With a supervisor’s permission',
      ],
    ],
    pages: [
      page(
        'Eye contact first',
        'Make eye contact before you pass a pedestrian; assume they have not seen you.',
      ),
      page('Blind corners', 'Stop, sound the horn, look both ways, then go.'),
    ],
    behaviours: ['Stops and sounds the horn at blind corners', 'Keeps to the marked traffic routes'],
  },
  {
    title: 'Loading docks and ramps',
    linkId: 'safety-101-docks',
    questions: [
      [
        'What must be done before driving into a trailer?',
        'Chock the trailer wheels or engage the dock lock',
        'Open the doors wide',
        'Sound the horn',
        'Raise the forks',
      ],
      [
        'How do you drive a loaded truck on a ramp?',
        'Load facing uphill',
        'Load facing downhill',
        'Across the slope',
        'As fast as possible',
      ],
      [
        'What is the risk of a gap between dock and trailer?',
        'A wheel drops and the truck tips',
        'A flat tyre',
        'Nothing',
        'A slower lift',
      ],
      ['When may you turn on a ramp?', 'Never', 'When it is dry', 'When unloaded', 'At low speed'],
      [
        'Who checks the dock plate is secure?',
        'The driver, every time',
        'The lorry driver',
        'Nobody',
        'The customer',
      ],
    ],
    pages: [
      page('Secure the trailer', 'Wheel chocks or a dock lock, **every time**, before the first pallet.'),
      page('Ramps', 'Loaded: load uphill. Empty: forks downhill. Never turn on a slope.'),
    ],
    behaviours: ['Checks the trailer is secured before entering', 'Drives ramps with the load uphill'],
  },
];

const BENEFITS = QUESTION_BANK[0]!;
const NAVIGATION = QUESTION_BANK[1]!;
const STRESS = QUESTION_BANK[2]!;
const FEEDBACK = QUESTION_BANK[3]!;

/** Case A: four modules on auto-escalation and match optimisation. */
export const RETIREMENT_TOPICS: WorldTopic[] = [
  {
    title: 'Employer match basics',
    linkId: 'retire-101-match',
    questions: BENEFITS,
    pages: [
      page('Free money', 'The employer adds **50 cents for every dollar** you save, up to 6% of your pay.'),
      page('The full match', 'Save at least 6% to collect the whole match: less leaves money on the table.'),
    ],
    behaviours: ['Saves at least the full-match rate', 'Explains the match to colleagues'],
  },
  {
    title: 'Auto-escalation',
    linkId: 'retire-101-escalation',
    questions: [
      [
        'What does auto-escalation do?',
        'Raises your deferral by 1 point each year',
        'Moves you to a riskier fund',
        'Lowers your taxes to zero',
        'Pays out the match early',
      ],
      [
        'Can you stop auto-escalation?',
        'Yes, any time in the benefits portal',
        'No, never',
        'Only at retirement',
        'Only with HR approval',
      ],
      [
        'When does the yearly increase happen?',
        'On the plan’s escalation date',
        'On your birthday',
        'Every payday',
        'Only when you ask',
      ],
    ],
    pages: [page('Small steps', 'One point a year feels small in the paycheck and large at retirement.')],
    behaviours: ['Turns on auto-escalation', 'Reviews the escalation cap'],
  },
  {
    title: 'Choosing your deferral rate',
    linkId: 'retire-101-deferral',
    questions: [
      [
        'Where do you change your deferral rate?',
        'In the benefits portal',
        'By e-mail to payroll',
        'At the bank',
        'It cannot be changed',
      ],
      [
        'What is a sensible first target?',
        'At least the full-match rate',
        '1% of pay',
        'Whatever is left each month',
        'Nothing until age 50',
      ],
      [
        'A raise arrives. What is an easy step?',
        'Save part of the raise',
        'Lower the deferral',
        'Stop saving',
        'Cash out the plan',
      ],
    ],
    pages: [page('Pick a rate', 'Start at the full-match rate, then add a point with every raise.')],
    behaviours: ['Checks the deferral after a pay change', 'Uses the portal calculator'],
  },
  {
    title: 'Reading your retirement statement',
    linkId: 'retire-101-statement',
    questions: [
      [
        'What does the statement show?',
        'Your contributions, the match and the balance',
        'Only fees',
        'Your salary history',
        'Your tax return',
      ],
      [
        'What does "vested balance" mean?',
        'The money that is yours if you leave',
        'Money you must repay',
        'A loan',
        'The fees paid',
      ],
      ['How often should you read it?', 'Each quarter', 'Never', 'Only at retirement', 'Every day'],
    ],
    pages: [page('Three lines to find', 'Contributions, employer match and the vested balance.')],
    behaviours: ['Reads the quarterly statement', 'Asks HR about an unexpected figure'],
  },
];

/** Case B: a benefits-navigation module and decision flowchart. */
export const CLAIMS_TOPICS: WorldTopic[] = [
  {
    title: 'Where to go for care',
    linkId: 'navigate-101-care',
    questions: NAVIGATION,
    pages: [
      page(
        'The flowchart',
        'Minor condition? **Nurse line first**, then urgent care. The ER is for emergencies.',
      ),
      page(
        'What it costs',
        'An ER visit for a minor condition costs the plan about $1,500 more than urgent care.',
      ),
    ],
    behaviours: ['Calls the nurse line before choosing care', 'Uses urgent care for minor conditions'],
  },
];

/** Examples 4 and 5: six weeks of resilience and emotional-intelligence modules. */
export const WELLBEING_TOPICS: WorldTopic[] = [
  {
    title: 'Managing stress',
    linkId: 'wellbeing-101-stress',
    questions: STRESS,
    pages: [page('Notice the signs', 'Poor sleep, short temper, tired all day: signs to act on early.')],
    behaviours: ['Takes planned breaks', 'Asks for help before overload'],
  },
  {
    title: 'Giving feedback',
    linkId: 'wellbeing-101-feedback',
    questions: FEEDBACK,
    pages: [page('Situation, behaviour, impact', 'Describe what happened and its effect, not the person.')],
    behaviours: ['Gives specific, timely feedback', 'Listens without interrupting'],
  },
  {
    title: 'Building resilience',
    linkId: 'wellbeing-101-resilience',
    questions: [
      [
        'What builds resilience most reliably?',
        'Sleep, movement and people to talk to',
        'Working longer hours',
        'Avoiding all change',
        'Coffee',
      ],
      [
        'After a setback, a helpful first step is…',
        'Naming what you can control',
        'Blaming yourself',
        'Ignoring it',
        'Quitting',
      ],
      [
        'Where can employees get confidential support?',
        'The employee assistance programme',
        'Social media',
        'Nowhere',
        'Their manager’s manager',
      ],
    ],
    pages: [page('Bounce back', 'Resilience is a skill: routines, perspective and support.')],
    behaviours: ['Joins the peer check-ins', 'Uses the employee assistance programme when needed'],
  },
];
