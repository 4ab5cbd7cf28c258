// Mocha runs the TypeScript sources through tsx's loader (never dist/).
// test/support/global-hooks.ts starts one PostgreSQL server for the whole run and migrates a template
// database once; each test file clones its own database from it (see test/support/test-database.ts).
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/support/global-hooks.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
  // The global teardown now closes ltijs' pool and stops the server, and launch-flow, lti-server and
  // statements-basic end by themselves without this; a run that also has lifecycle, npm-start,
  // program-refresh, render-pool and key-rotation still stayed open after its report (handle not yet
  // found), so exit stays on until it is. Run alone with --no-exit, each of those five files ends by
  // itself (render-pool, program-refresh, lifecycle, key-rotation, npm-start), so the handle comes from
  // files run together; the folder-wide runs are still to be done.
  exit: true,
};
