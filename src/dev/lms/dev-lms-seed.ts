/** The people and courses of the development LMS: enough to click through every role. */
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';

export const ROLE = {
  learner: `${LIS}membership#Learner`,
  instructor: `${LIS}membership#Instructor`,
  ta: `${LIS}membership/Instructor#TeachingAssistant`,
  institutionAdmin: `${LIS}institution/person#Administrator`,
  student: `${LIS}institution/person#Student`,
} as const;

export interface DevPerson {
  id: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  /** Institution roles, sent on every launch. */
  institutionRoles: string[];
}

export interface DevCourse {
  id: string;
  title: string;
  label: string;
  /** person id -> context roles */
  members: Record<string, string[]>;
  links: { id: string; title: string; graded: boolean; custom?: Record<string, string> }[];
}

export const DEV_PEOPLE: DevPerson[] = [
  {
    id: 'ana',
    name: 'Ana Alvarez',
    givenName: 'Ana',
    familyName: 'Alvarez',
    email: 'ana@example.edu',
    institutionRoles: [ROLE.student],
  },
  {
    id: 'ben',
    name: 'Ben Brooks',
    givenName: 'Ben',
    familyName: 'Brooks',
    email: 'ben@example.edu',
    institutionRoles: [ROLE.student],
  },
  {
    id: 'cara',
    name: 'Cara Chen',
    givenName: 'Cara',
    familyName: 'Chen',
    email: 'cara@example.edu',
    institutionRoles: [ROLE.student],
  },
  {
    id: 'ines',
    name: 'Ines Instructor',
    givenName: 'Ines',
    familyName: 'Instructor',
    email: 'ines@example.edu',
    institutionRoles: [],
  },
  {
    id: 'tom',
    name: 'Tom Assistant',
    givenName: 'Tom',
    familyName: 'Assistant',
    email: 'tom@example.edu',
    institutionRoles: [],
  },
  {
    id: 'ada',
    name: 'Ada Admin',
    givenName: 'Ada',
    familyName: 'Admin',
    email: 'ada@example.edu',
    institutionRoles: [ROLE.institutionAdmin],
  },
];

export function devCourses(): DevCourse[] {
  return [
    {
      id: 'safety-101',
      title: 'Forklift Safety 101',
      label: 'SAFE101',
      members: {
        ana: [ROLE.learner],
        ben: [ROLE.learner],
        cara: [ROLE.learner],
        ines: [ROLE.instructor],
        tom: [ROLE.ta],
      },
      links: [
        { id: 'safety-101-module-1', title: 'Module 1: Load limits', graded: true },
        { id: 'safety-101-inspection', title: 'Module 2: Pre-shift inspection', graded: true },
        { id: 'safety-101-pedestrians', title: 'Module 3: Pedestrians and blind spots', graded: true },
        { id: 'safety-101-docks', title: 'Module 4: Loading docks and ramps', graded: true },
        { id: 'safety-101-survey', title: 'Course survey', graded: false },
      ],
    },
    // The three pilots of the demo programs (src/dev/demo/demo-program-learning.ts assigns their modules).
    {
      id: 'retire-101',
      title: 'Retirement savings 101',
      label: 'RET101',
      members: { ana: [ROLE.learner], ben: [ROLE.learner], ines: [ROLE.instructor] },
      links: [
        { id: 'retire-101-match', title: 'Module 1: Employer match basics', graded: true },
        { id: 'retire-101-escalation', title: 'Module 2: Auto-escalation', graded: true },
        { id: 'retire-101-deferral', title: 'Module 3: Choosing your deferral rate', graded: true },
        { id: 'retire-101-statement', title: 'Module 4: Reading your retirement statement', graded: true },
      ],
    },
    {
      id: 'navigate-101',
      title: 'Benefits navigation',
      label: 'NAV101',
      members: { ana: [ROLE.learner], cara: [ROLE.learner], ines: [ROLE.instructor] },
      links: [{ id: 'navigate-101-care', title: 'Where to go for care', graded: true }],
    },
    {
      id: 'wellbeing-101',
      title: 'Wellbeing at work',
      label: 'WELL101',
      members: { ana: [ROLE.learner], ben: [ROLE.learner], ines: [ROLE.instructor] },
      links: [
        { id: 'wellbeing-101-stress', title: 'Week 1: Managing stress', graded: true },
        { id: 'wellbeing-101-feedback', title: 'Week 3: Giving feedback', graded: true },
        { id: 'wellbeing-101-resilience', title: 'Week 5: Building resilience', graded: true },
      ],
    },
    {
      id: 'sales-201',
      title: 'Consultative Selling',
      label: 'SALES201',
      members: { ana: [ROLE.learner], ines: [ROLE.instructor] },
      links: [{ id: 'sales-201-module-1', title: 'Module 1: Discovery questions', graded: true }],
    },
  ];
}
