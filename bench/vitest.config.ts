import { defineConfig } from 'vitest/config';

// The root config only collects packages/ and apps/; the bench's own unit tests run with this one.
export default defineConfig({
  test: { include: ['bench/**/*.test.ts'], root: new URL('..', import.meta.url).pathname, maxWorkers: 1 },
});
