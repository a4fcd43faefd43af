import type { z } from 'zod';
import { emailNotifier } from './email.js';
import { DEFAULT_OUTBOX_DIR, fileNotifier } from './file.js';
import { logNotifier } from './log.js';
import { slackNotifier } from './slack.js';
import type { Notifier } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own config and message types
export type AnyNotifier = Notifier<any, any>;

/** Every channel type. Adding one = its own file + one line here. */
export const notifiers = {
  slack: slackNotifier,
  email: emailNotifier,
  file: fileNotifier,
  log: logNotifier,
} satisfies Record<string, AnyNotifier>;

export type ChannelType = keyof typeof notifiers;

/** What config validates each `channels:` entry of vigil.yaml against, by its `type`. */
export const channelConfigSchemas: Record<string, z.ZodType> = Object.fromEntries(
  Object.entries(notifiers).map(([type, n]) => [type, n.configSchema as z.ZodType]),
);

export interface ChannelSpec {
  type: string;
  config: unknown;
}

/** With no channels configured, notifications go to the log and to files under `.vigil/outbox/`. */
export function defaultChannels(dir: string = DEFAULT_OUTBOX_DIR): Record<string, ChannelSpec> {
  return {
    log: { type: 'log', config: {} },
    outbox: { type: 'file', config: { dir } },
  };
}

export function notifierFor(type: string): AnyNotifier | null {
  return Object.hasOwn(notifiers, type) ? notifiers[type as ChannelType] : null;
}
