import type { Section } from './types.js';

/** Filled in below once @vigil/reports exports benchQuarterly. */
export const quarterly: Section = {
  name: 'quarterly',
  async run() {
    return { keys: {}, rows: [] };
  },
};
