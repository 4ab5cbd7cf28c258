/**
 * Words for the LTI Assignment and Grade Services codes a passback carries (LTI AGS 2.0, Score
 * publish service: activityProgress and gradingProgress), and for the outbox status.
 */
const ACTIVITY: Record<string, string> = {
  Initialized: 'not started',
  Started: 'started',
  InProgress: 'in progress',
  Submitted: 'submitted',
  Completed: 'completed',
};

const GRADING: Record<string, string> = {
  FullyGraded: 'fully graded',
  Pending: 'grading pending',
  PendingManual: 'waiting for manual grading',
  Failed: 'grading failed',
  NotReady: 'not ready for grading',
};

const STATUS: Record<string, string> = { queued: 'Queued', sent: 'Sent', failed: 'Failed' };

/** "Completed, fully graded" from ('Completed', 'FullyGraded'); unknown codes are shown as sent. */
export function progressLabel(activityProgress: string, gradingProgress: string): string {
  const text = `${ACTIVITY[activityProgress] ?? activityProgress}, ${GRADING[gradingProgress] ?? gradingProgress}`;
  return text[0]!.toUpperCase() + text.slice(1);
}

/** The outbox status in words: 'sent' -> "Sent". */
export function passbackStatusLabel(status: string): string {
  return STATUS[status] ?? status;
}
