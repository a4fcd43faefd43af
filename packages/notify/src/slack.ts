import {
  IncomingWebhook,
  type IncomingWebhookDefaultArguments,
  type IncomingWebhookSendArguments,
} from '@slack/webhook';
import { resolveEnv, secretValues } from '@vigil/core';
import { z } from 'zod';
import { DeliveryError, messageOf, scrub, scrubbedCause } from './errors.js';
import { alertLinks, facts, formatTime, headline, label, oneLine, truncate, when, where } from './format.js';
import { secretRef, singleLine } from './secret-ref.js';
import type { AlertEvent, Notifier, SendContext } from './types.js';

export const slackConfigSchema = z.strictObject({
  type: z.literal('slack').optional(),
  webhook: secretRef('webhook'),
  /** prepended to page alerts when they open or remind, e.g. `<!here>` or `<!subteam^S012AB>` */
  mention: singleLine.optional(),
  username: singleLine.optional(),
  channel: singleLine.optional(),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

/** The Block Kit blocks these messages use (the client's own type also admits any `Block`). */
export type SlackBlock = Extract<
  NonNullable<IncomingWebhookSendArguments['blocks']>[number],
  { type: 'header' | 'section' | 'actions' | 'context' }
>;
type Blocks = SlackBlock[];
export interface SlackMessage {
  text: string;
  blocks: Blocks;
}

const ICON: Record<AlertEvent['event'], string> = {
  opened: ':red_circle:',
  reminder: ':alarm_clock:',
  resolved: ':white_check_mark:',
  flapping: ':wavy_dash:',
  settled: ':large_green_circle:',
  declaration: ':loudspeaker:',
};
const SEVERITY_ICON: Record<AlertEvent['severity'], string> = {
  page: ':red_circle:',
  ticket: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

export const slackNotifier: Notifier<SlackConfig, SlackMessage> = {
  type: 'slack',
  configSchema: slackConfigSchema,
  render: renderSlack,
  send: sendSlack,
};

function renderSlack(e: AlertEvent, cfg: SlackConfig): SlackMessage {
  const mention =
    cfg.mention && e.severity === 'page' && (e.event === 'opened' || e.event === 'reminder')
      ? `${cfg.mention} `
      : '';
  const icon = e.event === 'opened' ? SEVERITY_ICON[e.severity] : ICON[e.event];
  const fields = facts(e).map((f) => ({ type: 'mrkdwn' as const, text: `*${f.label}*\n${esc(f.value)}` }));
  const blocks: Blocks = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: esc(truncate(oneLine(`${icon} ${label(e)}: ${e.title}`), 120)),
        emoji: true,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${mention}*${esc(oneLine(e.title))}* ${esc(where(e))} — ${esc(when(e))}`,
      },
    },
    ...chunks(fields, 10).map((c) => ({ type: 'section' as const, fields: c })),
  ];
  if (e.lastError)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Last error*\n\`\`\`${esc(truncate(e.lastError, 1500)).replace(/`/g, "'")}\`\`\``,
      },
    });
  const links = alertLinks(e);
  if (links.length > 0)
    blocks.push({
      type: 'actions',
      elements: links.map((l) => ({
        type: 'button',
        text: { type: 'plain_text', text: l.button },
        url: l.url,
      })),
    });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `incident \`${esc(oneLine(e.incidentId))}\` · ${e.event} <!date^${Math.floor(e.at / 1000)}^{date_short_pretty} {time}|${formatTime(e.at, e.at)}>`,
      },
    ],
  });
  return { text: `${mention}${esc(headline(e))}`, blocks };
}

async function sendSlack(msg: SlackMessage, cfg: SlackConfig, ctx: SendContext): Promise<void> {
  const secrets = secretValues(cfg, ctx.env);
  let url: string;
  try {
    url = resolveEnv(cfg.webhook, ctx.env);
  } catch (err) {
    throw new DeliveryError(`slack channel "${ctx.channel}": ${messageOf(err)}`, {
      channel: ctx.channel,
      retryable: false,
      cause: scrubbedCause(err, secrets),
    });
  }
  secrets.push(url, ...urlPath(url));
  const defaults: IncomingWebhookDefaultArguments = {
    ...(cfg.username ? { username: cfg.username } : {}),
    ...(cfg.channel ? { channel: cfg.channel } : {}),
  };
  // the client copies its defaults into the posted JSON; a non-enumerable timeout stays out of it
  Object.defineProperty(defaults, 'timeout', { value: ctx.timeoutMs, enumerable: false });
  const hook = new IncomingWebhook(url, defaults);
  try {
    await hook.send({ text: msg.text, blocks: msg.blocks });
  } catch (err) {
    const res = (err as { original?: { response?: SlackResponse } }).original?.response;
    const status = typeof res?.status === 'number' ? res.status : null;
    const body = res?.data === undefined ? null : scrub(bodyText(res.data), secrets);
    const what =
      status !== null
        ? `HTTP ${status}${body ? `: ${truncate(body, 120)}` : ''}`
        : scrub(messageOf(err), secrets);
    throw new DeliveryError(`slack delivery to "${ctx.channel}" failed: ${what}`, {
      channel: ctx.channel,
      status,
      retryable: status === null || status >= 500 || status === 408 || status === 429,
      body,
      retryAfterMs: retryAfterMs(res?.headers?.['retry-after']),
      cause: scrubbedCause(err, secrets),
    });
  }
}

interface SlackResponse {
  status?: number;
  data?: unknown;
  headers?: Record<string, unknown>;
}

/** Seconds only: Slack sends `Retry-After: 30` with its 429s. */
function retryAfterMs(value: unknown): number | null {
  const s = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(s) ? s * 1000 : null;
}

/** Slack mrkdwn control characters, so a probe name cannot inject `<!channel>` or a link. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The path of a webhook URL is its secret part: a server may echo it without the host. */
function urlPath(url: string): string[] {
  const path = URL.canParse(url) ? new URL(url).pathname : '';
  return path.length >= 8 ? [path] : [];
}

function bodyText(data: unknown): string {
  return typeof data === 'string' ? data : JSON.stringify(data);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
