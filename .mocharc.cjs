// Mocha runs the TypeScript sources through tsx's loader (never dist/).
// test/support/global-hooks.ts starts one PostgreSQL server for the whole run and migrates a template
// database once; each test file clones its own database from it (see test/support/test-database.ts).
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/support/global-hooks.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
  // No `exit: true`: the run ends by itself once the global teardown has closed ltijs and stopped the
  // run's PostgreSQL server; a handle left open fails the run naming it (test/support/global-hooks.ts).
};
