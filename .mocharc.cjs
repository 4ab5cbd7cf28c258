// Mocha runs the TypeScript sources through tsx's loader (never dist/).
// test/support/global-hooks.ts starts one PostgreSQL server for the whole run and migrates a template
// database once; each test file clones its own database from it (see test/support/test-database.ts).
module.exports = {
  'node-option': ['import=tsx'],
  require: ['test/support/global-hooks.ts'],
  extension: ['ts'],
  timeout: 20000,
  reporter: 'spec',
  // Exit once the run and its global teardown are done, even if a library keeps a handle open (the
  // LTI harness leaves one pg socket behind after the merge of issue #5; see the issue note).
  exit: true,
};
