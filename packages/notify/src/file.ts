import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeliveryError, messageOf, scrubbedCause } from './errors.js';
import { headline, textBody } from './format.js';
import type { AlertEvent, Notifier, SendContext } from './types.js';

export const DEFAULT_OUTBOX_DIR = '.vigil/outbox';

export const fileConfigSchema = z.strictObject({
  type: z.literal('file').optional(),
  dir: z.string().min(1).default(DEFAULT_OUTBOX_DIR),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

export interface FileMessage {
  /** named by event time and outbox id, so a repeated send overwrites instead of duplicating */
  filename: string;
  content: string;
}

export const fileNotifier: Notifier<FileConfig, FileMessage> = {
  type: 'file',
  configSchema: fileConfigSchema,
  render: renderFile,
  send: sendFile,
};

function renderFile(e: AlertEvent): FileMessage {
  const stamp = new Date(e.at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    filename: `${stamp}-${safe(e.incidentId)}-${e.event}-${safe(e.id)}.json`,
    content: `${JSON.stringify({ subject: headline(e), text: textBody(e), alert: e }, null, 2)}\n`,
  };
}

async function sendFile(msg: FileMessage, cfg: FileConfig, ctx: SendContext): Promise<void> {
  const target = join(cfg.dir, msg.filename);
  try {
    await mkdir(cfg.dir, { recursive: true });
    await writeFile(`${target}.tmp`, msg.content, { signal: ctx.signal });
    await rename(`${target}.tmp`, target);
  } catch (err) {
    throw new DeliveryError(`file delivery to "${ctx.channel}" failed: ${messageOf(err)}`, {
      channel: ctx.channel,
      retryable: true,
      cause: scrubbedCause(err, []),
    });
  }
}
