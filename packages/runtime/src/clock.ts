import type { Clock } from '@vigil/core';

export const systemClock: Clock = { now: () => Date.now() };
