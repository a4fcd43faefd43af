import { DAY_MS } from '@vigil/core';
import { z } from 'zod';
import { durationSchema } from '../duration.js';

/**
 * How long stored data is kept. Raw results live in daily partitions the scheduler drops once their
 * whole day is older than `results`; the evaluator deletes hourly rollups older than `rollups`.
 * Rollups must reach back two quarters (a quarterly report compares with the one before) plus slack.
 */
export const retentionSchema = () =>
  z.strictObject({
    results: durationSchema({ minMs: DAY_MS, maxMs: 3650 * DAY_MS }).prefault('35d'),
    rollups: durationSchema({ minMs: 190 * DAY_MS, maxMs: 36500 * DAY_MS }).prefault('730d'),
  });

export type RetentionConfig = z.output<ReturnType<typeof retentionSchema>>;

/** The retention in force: vigil.yaml's, or the defaults for a config built without one. */
export const retentionOf = (config: { retention?: RetentionConfig }): RetentionConfig =>
  config.retention ?? retentionSchema().parse({});
