import { EXTENSIONS, VERBS } from '../../src/learning/vocabulary.js';

type S = {
  verb: { id: string };
  context?: { registration?: string; extensions?: Record<string, unknown> };
};

const name = (s: S) => Object.entries(VERBS).find(([, id]) => id === s.verb.id)?.[0] ?? s.verb.id;

/**
 * Checks statements (in stored order) against the cmi5 ordering rules Yardstick follows (cmi5 9.3):
 * every statement has a registration and a session id; in a session launched comes first, then
 * initialized; nothing follows terminated or abandoned; passed/failed come before that session's end;
 * passed, failed and completed at most once per registration. Returns the problems found.
 */
export function cmi5OrderProblems(statements: S[]): string[] {
  const problems: string[] = [];
  const sessions = new Map<string, string[]>();
  const once = new Map<string, number>();
  statements.forEach((s, i) => {
    const reg = s.context?.registration;
    const sid = s.context?.extensions?.[EXTENSIONS.sessionId] as string | undefined;
    if (!reg) problems.push(`#${i} ${name(s)} has no registration`);
    if (!sid) problems.push(`#${i} ${name(s)} has no session id`);
    const key = `${reg}/${sid}`;
    const seen = sessions.get(key) ?? [];
    const verb = name(s);
    if (seen.includes('terminated') || seen.includes('abandoned'))
      problems.push(`#${i} ${verb} after the session ended`);
    if (verb === 'initialized' && seen.at(-1) !== 'launched')
      problems.push(`#${i} initialized not right after launched`);
    const phase = s.context?.extensions?.[EXTENSIONS.phase];
    const ownRegistration = (phase === 'survey' || phase === 'observation') && !seen.length;
    if (
      !ownRegistration &&
      verb !== 'launched' &&
      verb !== 'abandoned' &&
      !seen.includes('initialized') &&
      seen.length === 0
    )
      problems.push(`#${i} ${verb} before launched/initialized`);
    if (['passed', 'failed', 'completed'].includes(verb)) {
      const k = `${reg}/${verb === 'completed' ? 'completed' : 'passfail'}`;
      once.set(k, (once.get(k) ?? 0) + 1);
      if (once.get(k)! > 1) problems.push(`#${i} second ${verb} in registration ${reg}`);
    }
    seen.push(verb);
    sessions.set(key, seen);
  });
  return problems;
}
