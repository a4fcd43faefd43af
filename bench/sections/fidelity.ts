import type { Section } from './types.js';

export const fidelity: Section = {
  name: 'fidelity',
  async run() {
    return { keys: {}, rows: [] };
  },
};
