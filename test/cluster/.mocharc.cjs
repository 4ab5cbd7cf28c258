// `npm run test:cluster`: the reference cluster's scenarios (docs/deploy.md). Kept out of `npm test`:
// the files end in .cluster.ts, which the main glob ('test/**/*.test.ts') does not match, and this
// config has no global-hooks (no embedded PostgreSQL): cluster-hooks.ts starts the cluster once.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/cluster/support/cluster-hooks.ts'],
  extension: ['ts'],
  // Each file also runs alone. Jobs after the others that need no failover, so the roster ticks of
  // the run (one a minute, the course from lti-session) have come by then; the two failovers last,
  // each waits for the old leader to rejoin.
  spec: [
    'test/cluster/stateless.cluster.ts',
    'test/cluster/lti-session.cluster.ts',
    'test/cluster/rolling-restart.cluster.ts',
    'test/cluster/replica.cluster.ts',
    'test/cluster/jobs.cluster.ts',
    'test/cluster/failover.cluster.ts',
    'test/cluster/node-stop.cluster.ts',
  ],
  timeout: 180000,
  reporter: 'spec',
  exit: true,
};
