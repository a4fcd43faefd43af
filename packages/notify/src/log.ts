import { z } from 'zod';
import { headline } from './format.js';
import type { AlertEvent, NotificationLogEntry, Notifier, SendContext } from './types.js';

export const logConfigSchema = z.strictObject({ type: z.literal('log').optional() });
export type LogConfig = z.infer<typeof logConfigSchema>;

export type LogMessage = Omit<NotificationLogEntry, 'channel'>;

/** Hands each notification to the app's logger through the send context. */
export const logNotifier: Notifier<LogConfig, LogMessage> = {
  type: 'log',
  configSchema: logConfigSchema,
  render: (e: AlertEvent) => ({
    id: e.id,
    incidentId: e.incidentId,
    event: e.event,
    severity: e.severity,
    text: headline(e),
  }),
  send: (msg: LogMessage, _cfg: LogConfig, ctx: SendContext) => {
    ctx.log({ channel: ctx.channel, ...msg });
    return Promise.resolve();
  },
};
