/**
 * The folders the layering rules of eslint.config.mjs name, in one place so that
 * test/unit/architecture/layers.test.ts can hold every one of them to the tree (a rule naming a folder
 * that does not exist guards nothing). docs/architecture.md draws the same arrows.
 */
export const layers = {
  /** Domain areas under src/: no HTTP, no config, no composition code; they may use storage. */
  domain: [
    'xapi',
    'lti',
    'learning',
    'cohorts',
    'outcomes',
    'reports',
    'tenants',
    'health',
    'text',
    'privacy',
  ],
  /** Pure calculators under src/: they import only each other. */
  calculators: ['reports/stats', 'reports/roi'],
  /** Composition code: the only files that may load development code (src/dev). */
  composition: ['src/server.ts', 'src/cli/**', 'src/dev/**'],
};
