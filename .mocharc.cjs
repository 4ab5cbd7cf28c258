// Mocha runs the TypeScript sources through tsx's loader (never dist/).
// test/support/global-hooks.ts starts one PostgreSQL server for the whole run and migrates a template
// database once; each test file clones its own database from it (see test/support/test-database.ts).
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/support/global-hooks.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
  // No `exit: true`: the global teardown closes ltijs' pool and stops the server, so a run ends by
  // itself; a run that hangs names a handle some test left open.
};
