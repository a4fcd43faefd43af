import { describe, expect, it } from 'vitest';
import { describeNotices, NoticeLog, responseNotices } from './notices.js';

describe('Deprecation and Sunset headers', () => {
  it('reads an RFC 9745 date, an RFC 8594 sunset and the deprecation link', () => {
    const n = responseNotices({
      deprecation: '@1735689600',
      sunset: 'Wed, 31 Dec 2025 23:59:59 GMT',
      link: '<https://example.com/a>; rel="next", <https://example.com/migrate>; rel="deprecation"',
    });
    expect(n).toEqual({
      deprecated: true,
      deprecatedAt: Date.parse('2025-01-01T00:00:00Z'),
      sunsetAt: Date.parse('2025-12-31T23:59:59Z'),
      link: 'https://example.com/migrate',
    });
    expect(describeNotices(n!)).toBe(
      'deprecated since 2025-01-01, sunset on 2025-12-31 (see https://example.com/migrate)',
    );
  });

  it('takes an older draft’s `true` and an unparsable sunset without inventing dates', () => {
    expect(responseNotices({ deprecation: 'true', sunset: 'soon' })).toEqual({
      deprecated: true,
      deprecatedAt: null,
      sunsetAt: null,
      link: null,
    });
  });

  it('is null when the response announces nothing', () => {
    expect(responseNotices({ 'content-type': 'application/json' })).toBeNull();
  });

  it('warns once per probe, and again only when the announcement changes', () => {
    const log = new NoticeLog();
    const notices = { deprecated: false, deprecatedAt: null, sunsetAt: Date.parse('2025-12-31'), link: null };
    expect(log.warning({ probeId: 'a', notices })).toBe('sunset on 2025-12-31');
    expect(log.warning({ probeId: 'a', notices })).toBeNull();
    expect(log.warning({ probeId: 'b', notices })).not.toBeNull();
    expect(log.warning({ probeId: 'a', notices: null })).toBeNull();
    expect(log.warning({ probeId: 'a', notices: { ...notices, sunsetAt: Date.parse('2026-03-01') } })).toBe(
      'sunset on 2026-03-01',
    );
  });
});
