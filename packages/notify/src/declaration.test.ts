import { describe, expect, it } from 'vitest';
import { headline, textBody } from './format.js';
import { slackNotifier } from './slack.js';
import { alertEvent, providerEvent } from './testing/events.js';
import type { DeclaredItem, ProviderDeclaration } from './types.js';

const T = (hm: string) => Date.parse(`2025-03-04T${hm}:00Z`);
const incident: DeclaredItem = {
  kind: 'incident',
  title: 'Elevated API error rates',
  impact: 'major',
  status: 'identified',
  since: T('14:04'),
  lastUpdateAt: T('14:12'),
  endedAt: null,
  url: 'https://stspg.io/abc123',
};
const declared: ProviderDeclaration = {
  provider: 'Stripe',
  items: [incident],
  checkedAt: T('14:13'),
  stale: false,
  pageUrl: 'https://status.stripe.com',
};

describe("the provider's declaration in alert text", () => {
  it('says what the provider declares beside our facts, with a link to its incident', () => {
    const text = textBody(providerEvent({ declaration: declared }));
    expect(text).toContain(
      'Provider status: Stripe declares: Elevated API error rates — major, since 14:04 UTC, last update 14:12 UTC',
    );
    expect(text).toContain('Provider page: https://stspg.io/abc123');
  });

  it('says the provider declares nothing when its page is all operational; no line without a status page', () => {
    const none = textBody(alertEvent({ declaration: { ...declared, items: [] } }));
    expect(none).toContain('Provider status: Stripe declares nothing (status page read 14:13 UTC)');
    expect(textBody(alertEvent())).not.toContain('Provider status');
  });

  it('renders a follow-up notice when the provider starts or ends a declaration during our incident', () => {
    const started = providerEvent({
      event: 'declaration',
      severity: 'info',
      at: T('14:13'),
      declaration: declared,
      declarationChange: { change: 'started', item: incident },
    });
    expect(headline(started)).toBe(
      '[PROVIDER DECLARES] Stripe (payments/stripe) — during our incident since 14:02 UTC',
    );
    expect(textBody(started)).toContain(
      'Provider declared: Elevated API error rates — major, since 14:04 UTC, last update 14:12 UTC',
    );
    const ended = providerEvent({
      event: 'declaration',
      at: T('14:40'),
      declaration: { ...declared, items: [] },
      declarationChange: { change: 'ended', item: { ...incident, endedAt: T('14:38') } },
    });
    expect(headline(ended)).toMatch(/^\[PROVIDER DECLARATION ENDED\] Stripe/);
    expect(textBody(ended)).toContain(
      'Provider ended: Elevated API error rates — major, since 14:04 UTC, ended 14:38 UTC',
    );
    expect(JSON.stringify(slackNotifier.render(started, { webhook: '${env:X}' }))).toContain(
      'Stripe declares: Elevated API error rates — major, since 14:04 UTC, last update 14:12 UTC',
    );
  });
});
