/**
 * Time on task (issue #6): a session's active time is the sum of the gaps between the moments the page
 * reported activity (launch, heartbeats, submissions, exit), each gap capped at the idle cap. A gap
 * longer than the cap means the learner was away (or the tab slept), so only the cap counts and the
 * duration becomes an estimate.
 */
export interface ActiveTime {
  activeSeconds: number;
  /** True once any gap was capped. */
  estimated: boolean;
}

/**
 * Adds the gap from `lastSeen` to `now` (seconds, capped at `idleCapSeconds`) to the active time.
 * A negative gap (clock skew between app servers) adds nothing.
 */
export function addActiveGap(
  current: ActiveTime,
  lastSeen: Date,
  now: Date,
  idleCapSeconds: number,
): ActiveTime {
  const gap = Math.max(0, (now.getTime() - lastSeen.getTime()) / 1000);
  const capped = gap > idleCapSeconds;
  return {
    activeSeconds: current.activeSeconds + (capped ? idleCapSeconds : gap),
    estimated: current.estimated || capped,
  };
}
