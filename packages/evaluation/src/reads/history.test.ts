import { expect, it } from 'vitest';
import { config, spec } from '../testing/builders.js';
import { readMaintenance } from './history.js';

const NOW = Date.parse('2025-03-03T10:00:00Z'); // a Monday
const MIN = 60_000;

it('lists the maintenance under way or ahead, each weekly occurrence, with the services it covers', () => {
  const c = config(
    [
      spec({ id: 'stripe-balance', provider: 'stripe', service: 'payments' }),
      spec({ id: 'adyen-pay', provider: 'adyen', service: 'payments' }),
      spec({ id: 'smtp', provider: 'mailgun', service: 'email' }),
    ],
    {
      maintenance: [
        {
          id: 'stripe-upgrade',
          reason: 'Stripe API upgrade',
          match: { providers: ['stripe'] },
          start: '2025-03-03T09:30:00Z',
          duration: 60 * MIN,
        },
        {
          id: 'mail-weekly',
          match: { services: ['email'] },
          weekdays: ['tue'],
          at: { hour: 2, minute: 0 },
          duration: 30 * MIN,
        },
        { id: 'past', match: {}, start: '2025-03-01T00:00:00Z', duration: 60 * MIN },
      ],
    } as never,
  );
  const list = readMaintenance(c, NOW, 9 * 86_400_000);
  expect(list.map((m) => [m.id, new Date(m.from).toISOString(), m.active, m.services])).toEqual([
    ['stripe-upgrade', '2025-03-03T09:30:00.000Z', true, ['payments']],
    ['mail-weekly', '2025-03-04T02:00:00.000Z', false, ['email']],
    ['mail-weekly', '2025-03-11T02:00:00.000Z', false, ['email']],
  ]);
  expect(list[0]!.reason).toBe('Stripe API upgrade');
  expect(list[1]!.reason).toBeNull();
});
