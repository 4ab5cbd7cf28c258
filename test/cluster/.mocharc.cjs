// `npm run test:cluster`: the reference cluster's scenarios (docs/deploy.md). Kept out of `npm test`:
// the files end in .cluster.ts, which the main glob ('test/**/*.test.ts') does not match, and this
// config has no global-hooks (no embedded PostgreSQL): cluster-hooks.ts starts the cluster once.
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/cluster/support/cluster-hooks.ts'],
  extension: ['ts'],
  // Failover last: it leaves the old leader rejoining. Each file also runs alone.
  spec: [
    'test/cluster/stateless.cluster.ts',
    'test/cluster/replica.cluster.ts',
    'test/cluster/failover.cluster.ts',
  ],
  timeout: 180000,
  reporter: 'spec',
  exit: true,
};
