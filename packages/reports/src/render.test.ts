import { describe, expect, it } from 'vitest';
import { parsePeriodKey } from '@vigil/core';
import { readFileSync } from 'node:fs';
import { buildReport } from './build.js';
import { CSV_COLUMNS, renderCsv } from './csv.js';
import { arrow, duration, pct } from './format.js';
import { renderHtml } from './html.js';
import { reportFileStem, reportSubject, reportWebUrl } from './subject.js';
import { renderText } from './text.js';
import { smallWeekly } from './testing/small.js';

const m = buildReport(smallWeekly());

describe('renderText', () => {
  it('matches the snapshot', () => {
    expect(renderText(m)).toMatchSnapshot();
  });
});

describe('renderCsv', () => {
  it('matches the snapshot', () => {
    expect(renderCsv(m)).toMatchSnapshot();
  });

  it('has one row per probe and period, every row as wide as the header', () => {
    const monthly = buildReport(
      smallWeekly({
        kind: 'monthly',
        period: parsePeriodKey('2026-11', 'UTC'),
        previous: parsePeriodKey('2026-10', 'UTC'),
      }),
    );
    const rows = renderCsv(monthly).trimEnd().split('\r\n');
    // the month, then its 6 ISO weeks (W44 … W49), for 4 probes
    expect(rows).toHaveLength(1 + 4 * 7);
    for (const r of rows) expect(r.split(',')).toHaveLength(CSV_COLUMNS.length);
    expect(rows.slice(1, 8).map((r) => r.split(',')[2])).toEqual([
      '2026-11',
      '2026-W44',
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
      '2026-W49',
    ]);
  });

  it('quotes separators and defuses spreadsheet formulas', () => {
    const input = smallWeekly();
    input.probes[0]!.name = '=HYPERLINK("x"), evil';
    const row = renderCsv(buildReport(input)).split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""x""), evil"`);
  });

  it('documents every column in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const c of CSV_COLUMNS) expect(readme).toContain(`| \`${c}\``);
  });
});

describe('renderHtml', () => {
  const { html, inlineImages } = renderHtml(m);

  it('is plain ASCII: everything else is a character reference', () => {
    expect(html).toMatch(/^\p{ASCII}*$/u);
    expect(html).toContain('&#9660; -0.298 pp');
  });

  it('says how long a failover service ran on one provider (stripe down 5 h 19 min, paypal carried payments)', () => {
    expect(m.redundancy).toEqual([
      expect.objectContaining({
        service: 'payments',
        singleProviderMs: 5 * 3_600_000 + 19 * 60_000,
        allDownMs: 0,
      }),
    ]);
    expect(html).toContain('Redundancy</div>');
    expect(html).toContain('<li>Payments ran on paypal alone for 5h 19m while stripe was down</li>');
    // a service that never lost its redundancy is not listed
    const calm = renderHtml(buildReport(smallWeekly({ incidents: [] }))).html;
    expect(calm).not.toContain('Redundancy</div>');
  });

  it('has no scripts, no external images and no external styles', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(inlineImages).toEqual([]);
  });

  it('escapes every name and title', () => {
    const input = smallWeekly();
    input.probes[0]!.name = '<script>alert(1)</script>';
    input.incidents[0]!.title = '"><img src=x onerror=alert(1)>';
    const out = renderHtml(buildReport(input)).html;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('shows the headline figures', () => {
    expect(html).toContain('2 of 4');
    expect(html).toContain(pct(m.headline.availability));
    expect(html).toContain(duration(m.headline.downtimeMs));
  });

  it('draws one strip cell per day for every service (providers are rows beneath it)', () => {
    const cells = html.match(/<td width="14\.29%" bgcolor=/g) ?? [];
    expect(cells).toHaveLength(7 * m.services.length);
  });
});

describe('the link to the web version (api.publicUrl)', () => {
  const webUrl = reportWebUrl('https://vigil.example.com', m.period);
  const linked = buildReport({ ...smallWeekly(), webUrl });

  it('is the period report of apps/api', () => {
    expect(webUrl).toBe('https://vigil.example.com/api/v1/reports/2026-W47?format=html');
    expect(linked.webUrl).toBe(webUrl);
  });

  it('is in the HTML header and at the top of the text', () => {
    expect(renderHtml(linked).html).toContain(
      `<a href="https://vigil.example.com/api/v1/reports/2026-W47?format=html" style="color:#93c5fd;">View this report in a browser</a>`,
    );
    expect(renderText(linked)).toContain(`\n\nOn the web: ${webUrl}\n\n`);
  });

  it('is absent without publicUrl, and never anything but http(s)', () => {
    expect(m.webUrl).toBeNull();
    expect(renderText(m)).not.toContain('On the web');
    const evil = buildReport({ ...smallWeekly(), webUrl: 'javascript:alert(1)' });
    expect(evil.webUrl).toBeNull();
    expect(renderHtml(evil).html).not.toMatch(/javascript:|<a /);
  });
});

describe('formatting', () => {
  it.each([
    [0.98, '98.000%'],
    [0.9799999, '97.999%'],
    [0.999999, '99.999%'],
    [1, '100%'],
    [null, 'n/a'],
  ])('pct(%s) is %s', (a, want) => {
    expect(pct(a)).toBe(want);
  });

  it.each([
    [0, '0 min'],
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [(2 * 60 + 5) * 60_000, '2 h 05 min'],
    [(49 * 60 + 30) * 60_000, '2 d 1 h'],
  ])('duration(%i) is %s', (v, want) => {
    expect(duration(v)).toBe(want);
  });

  it.each([
    [0.1234, '▲ +0.123 pp'],
    [-1.5, '▼ -1.500 pp'],
    [0.0001, '= 0 pp'],
    [null, '—'],
  ])('arrow(%s) is %s', (d, want) => {
    expect(arrow(d, ' pp')).toBe(want);
  });
});

describe('subject and file name', () => {
  it('says how many APIs met the target', () => {
    expect(reportSubject(m)).toBe(
      'Vigil weekly uptime 2026-W47: 2/4 APIs met 98% (1 with insufficient data)',
    );
  });

  it.each([
    ['weekly', 'weekly-2026-W47'],
    ['Managers / EU', 'Managers-EU-2026-W47'],
    ['../../etc', 'etc-2026-W47'],
    ['', 'report-2026-W47'],
  ])('names the files of %j %s', (name, want) => {
    expect(reportFileStem(name, m.period)).toBe(want);
  });
});
