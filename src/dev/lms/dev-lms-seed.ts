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
        { id: 'safety-101-survey', title: 'Course survey', graded: false },
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
