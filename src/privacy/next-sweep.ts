/**
 * The next time a daily cron schedule (UTC) fires after `now`: only the form "M H * * *" with whole
 * numbers (what config privacy.retentionSweepCron uses); null for any other schedule or an empty one
 * (the page then shows the expression itself).
 */
export function nextDailyRun(cron: string, now: Date): Date | null {
  const m = /^\s*(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\*\s*$/.exec(cron);
  if (!m) return null;
  const minute = Number(m[1]);
  const hour = Number(m[2]);
  if (minute > 59 || hour > 23) return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute);
  return new Date(today > now.getTime() ? today : today + 86_400_000);
}
