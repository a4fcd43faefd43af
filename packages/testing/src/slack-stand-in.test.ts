import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSlackStandIn, type SlackStandIn } from './slack-stand-in.js';
import { WaitTimeoutError } from './wait.js';

describe('Slack stand-in', () => {
  let slack: SlackStandIn;
  afterEach(() => slack.close());

  const post = (body: string, type = 'application/json') =>
    fetch(slack.url, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers ok like Slack and records the JSON post with its headers', async () => {
    slack = await startSlackStandIn();
    const res = await post(JSON.stringify({ text: 'stripe is down' }));
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    expect(slack.posts).toEqual([
      {
        body: { text: 'stripe is down' },
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
      },
    ]);
  });

  it('reads the payload field of a form post', async () => {
    slack = await startSlackStandIn();
    await post(
      `payload=${encodeURIComponent(JSON.stringify({ text: 'hi' }))}`,
      'application/x-www-form-urlencoded',
    );
    expect(slack.posts[0]?.body).toEqual({ text: 'hi' });
  });

  it.each([
    [500, 'internal_error', null],
    [404, 'no_service', null],
    [429, 'rate_limited', '1'],
  ])('fails the next posts with %i %s, then accepts again', async (status, text, retryAfter) => {
    slack = await startSlackStandIn();
    slack.failNext(2, status);
    for (let i = 0; i < 2; i++) {
      const res = await post('{"text":"x"}');
      expect([res.status, await res.text(), res.headers.get('retry-after')]).toEqual([
        status,
        text,
        retryAfter,
      ]);
    }
    expect((await post('{"text":"y"}')).status).toBe(200);
    expect(slack.posts.map((p) => p.body)).toEqual([{ text: 'y' }]);
    expect(slack.attempts).toBe(3);
  });

  it('fails with 500 by default', async () => {
    slack = await startSlackStandIn();
    slack.failNext(1);
    expect((await post('{}')).status).toBe(500);
  });

  it('waits for posts and times out with a typed error', async () => {
    slack = await startSlackStandIn();
    const waiting = slack.waitFor(1, 2_000);
    await post('{"text":"a"}');
    expect(await waiting).toHaveLength(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const second = slack.waitFor(2, 50).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(50);
      expect(await second).toBeInstanceOf(WaitTimeoutError);
    } finally {
      vi.useRealTimers();
    }
  });
});
