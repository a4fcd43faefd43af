import type { VigilConfig } from '@vigil/config';
import { defaultChannels, type ChannelSpec } from '@vigil/notify';

/**
 * The relay's channels: vigil.yaml's `channels` (each validated whole, `type` included, by its notifier's
 * schema), or with none configured the `log` channel and files under `outboxDir`.
 */
export function channelSpecs(config: VigilConfig, outboxDir?: string): Record<string, ChannelSpec> {
  const entries = Object.entries(config.channels);
  if (entries.length === 0) return defaultChannels(outboxDir);
  return Object.fromEntries(entries.map(([name, c]) => [name, { type: c.type, config: c }]));
}
