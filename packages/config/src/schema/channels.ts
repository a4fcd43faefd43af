import { z } from 'zod';
import { slugSchema } from '../primitives.js';

/**
 * A notification channel. Here only `type` is checked; the loader validates the whole object
 * (type included) with `channelTypes[type]` when the caller supplies those schemas.
 */
export const channelSchema = () => z.looseObject({ type: slugSchema() });
export const channelsSchema = () => z.record(slugSchema(), channelSchema());
export type ChannelConfig = { type: string } & Record<string, unknown>;
