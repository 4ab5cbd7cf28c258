#!/usr/bin/env node
// The `yardstick` command (`npx yardstick --help` in a clone): runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
