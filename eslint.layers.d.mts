/** Types of eslint.layers.mjs for the TypeScript tests that read it. */
export declare const layers: {
  domain: string[];
  calculators: string[];
  composition: string[];
};
