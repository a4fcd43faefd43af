import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { fleetModel } from './testing/model.js';
import { renderText } from './text.js';
import type { ReportKind } from './types.js';

const KB = 1000;
const KINDS: ReportKind[] = ['weekly', 'monthly', 'quarterly'];

describe('the email stays under 100 KB whatever the fleet (Gmail clips a body past ~102 KB)', () => {
  describe.each([10, 100, 1_000, 10_000])('%i probes', (n) => {
    it.each(KINDS)('%s', (kind) => {
      const m = fleetModel(kind, n);
      const html = renderHtml(m).html;
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(100 * KB);
      expect(Buffer.byteLength(renderText(m))).toBeLessThanOrEqual(100 * KB);
      // the summary is there: the headline, and the rest counted and pointed at
      expect(html).toContain(`${m.headline.met} of ${m.headline.apis}`);
      if (n >= 100) expect(html).toMatch(/and \d+ more on target/);
      expect(html).toContain('attached CSV');
      expect(html).toContain(m.webUrl!);
      // with every provider under a contract SLA, every failover service exposed, the trend
      expect(html).toMatch(
        kind === 'weekly'
          ? /breached so far &#8212; 25% credit if it ends so/
          : /SLA breached &#8212; credit claimable: 25%/,
      );
      expect(html).toMatch(/ran on provider-\d+ alone for 1h while/);
      if (kind === 'quarterly') expect(html).toContain('Last 4 quarters');
      if (n >= 1_000) expect(html).toMatch(/and \d+ more providers with an SLA/);
      // every provider with a status page and a rate-limit budget
      expect(html).toContain('Provider status pages');
      expect(html).toContain('7/12, 14 min (max 2 h 05 min)');
      expect(html).toMatch(/\d{2,3},\d{3} \/ 100,000 per hour/);
      if (n >= 100) expect(html).toMatch(/and \d+ more providers with a status page/);
    });
  });

  it.each(KINDS)('%s also with the longest, least ASCII names (cut, never whole)', (kind) => {
    const m = fleetModel(kind, 1_000, {
      name: (i) => `<Zahlungs-API für Überweisungen & Rückbuchungen>"${i}"`.repeat(8),
    });
    for (const s of m.services) {
      s.name = '€'.repeat(300);
      for (const p of s.providers) p.name = '&'.repeat(300);
    }
    for (const i of m.incidents) i.subject = i.title = '<&>'.repeat(200);
    const html = renderHtml(m).html;
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(100 * KB);
    expect(html).toContain('&#60;Zahlungs-API f&#252;r');
    expect(html).toContain('&#8230;');
    // no room left for the providers' status pages and rate limits: the email says where they are
    expect(html).toContain("Each provider's status-page and rate-limit figures are in the CSV.");
    expect(Buffer.byteLength(renderText(m))).toBeLessThanOrEqual(100 * KB);
  });

  it('the web version (detail: full) has every API', () => {
    const m = fleetModel('weekly', 100);
    const html = renderHtml(m, { detail: 'full' }).html;
    for (const p of m.services.flatMap((s) => s.providers.flatMap((x) => x.probes)))
      expect(html).toContain(`>${p.name}<`);
  });
});
