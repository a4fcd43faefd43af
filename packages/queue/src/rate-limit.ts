import type { EpochMs } from '@vigil/core';
import { Redis } from 'ioredis';
import { DEFAULT_PREFIX } from './redis.js';

/** `providers.<name>.rateLimit` as the gate needs it: at most `requests` per window of `perMs`. */
export interface ProviderBudget {
  requests: number;
  perMs: number;
}

/** One (probe, region, slot) asking to send its request. */
export interface SpendRequest {
  provider: string;
  probeId: string;
  region: string;
  /** the scheduled slot (not the worker's clock): the budget's windows are on scheduled times */
  slotAt: EpochMs;
  /** every region the probe runs in: the slot is admitted (and its budget reserved) for all of them at once */
  regions: readonly string[];
  /** the probe's next slot after this one (nextRunAfter): when a refused probe will ask again */
  nextSlotAt: EpochMs;
  /** requests one run sends in one region (a multi-step probe's steps) @defaultValue 1 */
  requests?: number;
  /** the worker's clock, for Retry-After deferrals */
  now: EpochMs;
}

/**
 * What a slot may do. Not `ok`: the slot is recorded `rate_limited` without a request (neither up nor
 * down nor missing). `first` is true for the first slot of a window refused by the budget (log it once).
 */
export type GateDecision =
  | { ok: true }
  | { ok: false; reason: 'deferred'; until: EpochMs }
  | { ok: false; reason: 'budget'; budget: ProviderBudget; first: boolean };

/**
 * The request budget and the Retry-After deferral of each provider, shared by every region and worker
 * that asks the same gate: in Redis (distributed) or in this process (embedded `vigil run`). One
 * interface, two implementations that follow the same rules (see `admit` below and ADMIT_SCRIPT).
 *
 * Rules of the budget, on scheduled slot times, per provider:
 * - no window (slot - per, slot] holds more than `requests` admitted (probe, region, slot) entries;
 * - a slot is admitted for all its probe's regions at once (the others' entries are reserved), so a slot
 *   is measured in every region or in none: the evaluator's quorum needs the regions of the same slot,
 *   and no region is starved by arriving later than the others;
 * - across probes, the most starved go first: a slot is refused when admitting it would leave no room, at
 *   its next slot, for a probe that was refused in the window and has had fewer admitted slots than the
 *   asking one (or as many, its last one longer ago). A budget too small for the probes then rotates
 *   between them instead of always refusing the same ones (slots at a fixed phase would otherwise keep
 *   their places for ever).
 */
export interface ProviderGate {
  /** the budgets in force (the scheduler's, from vigil.yaml); a provider not in it has no budget */
  setBudgets(budgets: Readonly<Record<string, ProviderBudget>>): Promise<void>;
  acquire(r: SpendRequest): Promise<GateDecision>;
  /**
   * A 429 with Retry-After: the provider's next slots, in every region, are deferred until `until`
   * (capped at MAX_DEFER_MS from now). True when this starts a deferral (none was in force): log it then,
   * once; a later 429 that extends it says false.
   */
  defer(provider: string, until: EpochMs, now: EpochMs): Promise<boolean>;
  close(): Promise<void>;
}

/** A Retry-After further away than this is honoured only this long (a misconfigured provider must not blind us for weeks). */
export const MAX_DEFER_MS = 24 * 3_600_000;

const SEP = '\n';

// ---------------------------------------------------------------------------------------------------------
// In this process

/** Members with a score, in score order; trimmed from the start. */
class Scored {
  private readonly scores: number[] = [];
  private readonly members: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.members.length;
  }
  has(member: string): boolean {
    return this.index.has(member);
  }
  add(member: string, score: number): void {
    if (this.index.has(member)) return;
    let lo = 0;
    let hi = this.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.scores[mid]! <= score) lo = mid + 1;
      else hi = mid;
    }
    this.scores.splice(lo, 0, score);
    this.members.splice(lo, 0, member);
    this.index.set(member, score);
  }
  /** members scored above `x` */
  countAbove(x: number): number {
    let lo = 0;
    let hi = this.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.scores[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return this.scores.length - lo;
  }
  /** removes the members scored at most `bound`, and returns them */
  trim(bound: number): string[] {
    let k = 0;
    while (k < this.scores.length && this.scores[k]! <= bound) k++;
    if (k === 0) return [];
    this.scores.splice(0, k);
    const gone = this.members.splice(0, k);
    for (const m of gone) this.index.delete(m);
    return gone;
  }
}

interface ProviderState {
  /** (probe, slot, region) entries: admitted, or reserved for a region of an admitted slot */
  log: Scored;
  /** admitted (probe, slot) */
  slots: Scored;
  /** refused (probe, slot): the slot's other regions are refused alike */
  denied: Scored;
  /** admitted slots per probe in the window */
  counts: Map<string, number>;
  /** the last admitted slot per probe */
  last: Map<string, number>;
  /** probes refused in the window: their last refused slot, what it would have cost, and their next slot */
  waiting: Map<string, { at: number; cost: number; next: number }>;
  /** until when a refusal is not "first" again (one log line per window) */
  toldUntil: number;
  deferUntil: number;
}

const newState = (): ProviderState => ({
  log: new Scored(),
  slots: new Scored(),
  denied: new Scored(),
  counts: new Map(),
  last: new Map(),
  waiting: new Map(),
  toldUntil: -Infinity,
  deferUntil: -Infinity,
});

/** The budget rules on one provider's state (ADMIT_SCRIPT is the same, in Redis). */
function admit(s: ProviderState, b: ProviderBudget, r: SpendRequest): GateDecision {
  const bound = r.slotAt - b.perMs;
  for (const m of s.slots.trim(bound)) {
    const probe = m.slice(0, m.indexOf(SEP));
    const n = (s.counts.get(probe) ?? 0) - 1;
    if (n <= 0) s.counts.delete(probe);
    else s.counts.set(probe, n);
  }
  s.log.trim(bound);
  s.denied.trim(bound);
  const slotKey = `${r.probeId}${SEP}${r.slotAt}`;
  if (s.log.has(`${slotKey}${SEP}${r.region}`)) return { ok: true };
  // cost 0: a slot refused already (for another region), whose probe waits as recorded then
  const refuse = (cost: number): GateDecision => {
    if (cost > 0) s.waiting.set(r.probeId, { at: r.slotAt, cost, next: r.nextSlotAt });
    const first = s.toldUntil <= r.now;
    if (first) s.toldUntil = r.now + b.perMs;
    return { ok: false, reason: 'budget', budget: b, first };
  };
  if (s.denied.has(slotKey)) return refuse(0);
  const admitted = s.slots.has(slotKey);
  const n = Math.max(1, r.regions.length);
  // a run that needs more than the whole budget spends all of it: at most one run per window
  const w = Math.max(1, Math.min(Math.floor(r.requests ?? 1), b.requests));
  const all = !admitted && n * w <= b.requests;
  const cost = all ? n * w : w;
  let yields = false;
  if (!admitted) {
    const mine = s.counts.get(r.probeId) ?? 0;
    const myLast = s.last.get(r.probeId) ?? -1;
    for (const [o, wait] of s.waiting) {
      if (wait.at <= bound) s.waiting.delete(o);
      else if (o !== r.probeId && wait.next > r.slotAt && !yields) {
        const c = s.counts.get(o) ?? 0;
        const l = s.last.get(o) ?? -1;
        if (c < mine || (c === mine && l < myLast)) {
          // the room o finds at its next slot if this one is admitted
          const from = wait.next - b.perMs;
          const need = s.log.countAbove(from) + (r.slotAt > from ? cost : 0) + wait.cost;
          if (need > b.requests) yields = true;
        }
      }
    }
  }
  if (yields || s.log.size + cost > b.requests) {
    if (admitted) return refuse(0);
    s.denied.add(slotKey, r.slotAt);
    return refuse(cost);
  }
  const reserve = (region: string) => {
    const base = `${slotKey}${SEP}${region}`;
    s.log.add(base, r.slotAt);
    for (let i = 1; i < w; i++) s.log.add(`${base}${SEP}${i}`, r.slotAt);
  };
  if (all) r.regions.forEach(reserve);
  reserve(r.region);
  if (!admitted) {
    s.slots.add(slotKey, r.slotAt);
    s.counts.set(r.probeId, (s.counts.get(r.probeId) ?? 0) + 1);
    s.last.set(r.probeId, r.slotAt);
    s.waiting.delete(r.probeId);
  }
  return { ok: true };
}

/** The gate of embedded `vigil run`: every region runs in this process, so the budget lives here. */
export function createInProcessProviderGate(): ProviderGate {
  let budgets: Readonly<Record<string, ProviderBudget>> = {};
  const states = new Map<string, ProviderState>();
  const state = (provider: string) => {
    let s = states.get(provider);
    if (!s) states.set(provider, (s = newState()));
    return s;
  };
  return {
    setBudgets(next) {
      budgets = { ...next };
      return Promise.resolve();
    },
    acquire(r) {
      const s = state(r.provider);
      if (s.deferUntil > r.now)
        return Promise.resolve({ ok: false, reason: 'deferred', until: s.deferUntil });
      const b = budgets[r.provider];
      return Promise.resolve(b ? admit(s, b, r) : { ok: true });
    },
    defer(provider, until, now) {
      const capped = Math.min(until, now + MAX_DEFER_MS);
      if (capped <= now) return Promise.resolve(false);
      const s = state(provider);
      const started = s.deferUntil <= now;
      if (capped > s.deferUntil) s.deferUntil = capped;
      return Promise.resolve(started);
    },
    close: () => Promise.resolve(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// In Redis

/**
 * KEYS: 1 budget "requests perMs", 2 defer-until, 3 log zset, 4 slots zset, 5 denied zset, 6 counts hash,
 * 7 last hash, 8 waiting hash ("slot cost next"), 9 told-until.
 * ARGV: now, probe, slotAt, region, nextSlotAt, requests per run, regions….
 * Returns {'ok'} | {'deferred', until} | {'budget', requests, perMs, first 0|1}.
 */
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local probe = ARGV[2]
local slot = tonumber(ARGV[3])
local region = ARGV[4]
local nextSlot = ARGV[5]
local d = tonumber(redis.call('GET', KEYS[2]) or '-1')
if d > now then return {'deferred', tostring(d)} end
local b = redis.call('GET', KEYS[1])
if not b then return {'ok'} end
local sp = string.find(b, ' ', 1, true)
local limit = tonumber(string.sub(b, 1, sp - 1))
local per = tonumber(string.sub(b, sp + 1))
local bound = slot - per
local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', bound)
for _, m in ipairs(gone) do
  local p = string.sub(m, 1, string.find(m, '\\n', 1, true) - 1)
  if redis.call('HINCRBY', KEYS[6], p, -1) <= 0 then redis.call('HDEL', KEYS[6], p) end
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', bound)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', bound)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', bound)
local keep = tostring(2 * per)
for i = 3, 8 do redis.call('PEXPIRE', KEYS[i], keep) end
local slotKey = probe .. '\\n' .. ARGV[3]
if redis.call('ZSCORE', KEYS[3], slotKey .. '\\n' .. region) then return {'ok'} end
local function refuse(cost)
  if cost > 0 then
    redis.call('HSET', KEYS[8], probe, ARGV[3] .. ' ' .. cost .. ' ' .. nextSlot)
    redis.call('PEXPIRE', KEYS[8], keep)
  end
  local told = tonumber(redis.call('GET', KEYS[9]) or '-1')
  local first = 0
  if told <= now then
    first = 1
    redis.call('SET', KEYS[9], tostring(now + per), 'PX', keep)
  end
  return {'budget', tostring(limit), tostring(per), first}
end
if redis.call('ZSCORE', KEYS[5], slotKey) then return refuse(0) end
local admitted = redis.call('ZSCORE', KEYS[4], slotKey)
local n = math.max(1, #ARGV - 6)
local w = math.max(1, math.min(math.floor(tonumber(ARGV[6])), limit))
local all = (not admitted) and n * w <= limit
local cost = w
if all then cost = n * w end
local yields = false
if not admitted then
  local mine = tonumber(redis.call('HGET', KEYS[6], probe) or '0')
  local myLast = tonumber(redis.call('HGET', KEYS[7], probe) or '-1')
  local waiting = redis.call('HGETALL', KEYS[8])
  for i = 1, #waiting, 2 do
    local o = waiting[i]
    local v = waiting[i + 1]
    local s2 = string.find(v, ' ', 1, true)
    local s3 = string.find(v, ' ', s2 + 1, true)
    local at = tonumber(string.sub(v, 1, s2 - 1))
    local ocost = tonumber(string.sub(v, s2 + 1, s3 - 1))
    local onext = tonumber(string.sub(v, s3 + 1))
    if at <= bound then redis.call('HDEL', KEYS[8], o)
    elseif o ~= probe and onext > slot and not yields then
      local c = tonumber(redis.call('HGET', KEYS[6], o) or '0')
      local l = tonumber(redis.call('HGET', KEYS[7], o) or '-1')
      if c < mine or (c == mine and l < myLast) then
        local from = onext - per
        local need = redis.call('ZCOUNT', KEYS[3], '(' .. from, '+inf') + ocost
        if slot > from then need = need + cost end
        if need > limit then yields = true end
      end
    end
  end
end
if yields or redis.call('ZCARD', KEYS[3]) + cost > limit then
  if admitted then return refuse(0) end
  redis.call('ZADD', KEYS[5], slot, slotKey)
  return refuse(cost)
end
local function reserve(rg)
  local base = slotKey .. '\\n' .. rg
  redis.call('ZADD', KEYS[3], slot, base)
  for i = 1, w - 1 do redis.call('ZADD', KEYS[3], slot, base .. '\\n' .. i) end
end
if all then
  for i = 7, #ARGV do reserve(ARGV[i]) end
end
reserve(region)
if not admitted then
  redis.call('ZADD', KEYS[4], slot, slotKey)
  redis.call('HINCRBY', KEYS[6], probe, 1)
  redis.call('HSET', KEYS[7], probe, ARGV[3])
  redis.call('HDEL', KEYS[8], probe)
end
for i = 3, 8 do redis.call('PEXPIRE', KEYS[i], keep) end
return {'ok'}
`;

/** KEYS: 1 defer-until. ARGV: until, now. Returns 1 when this starts a deferral. */
const DEFER_SCRIPT = `
local u = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if u <= now then return 0 end
local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
if u > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', tostring(u - now + 60000)) end
if cur > now then return 0 end
return 1
`;

export interface RedisProviderGateOptions {
  redisUrl: string;
  /** @defaultValue 'vigil' */
  prefix?: string;
  /** connection errors (commands fail after one reconnect attempt instead of waiting) */
  onError?: (err: Error) => void;
}

/** The keys of one provider's budget and deferral (one hash slot per provider). */
export const rateLimitKeys = (prefix: string, provider: string) => {
  const base = `${prefix}:rate-limit:{${provider}}`;
  return {
    budget: `${base}:budget`,
    defer: `${base}:defer`,
    state: ['log', 'slots', 'denied', 'counts', 'last', 'waiting', 'told'].map((k) => `${base}:${k}`),
  };
};
/** The set of providers that have a budget key (so budgets removed from vigil.yaml are removed too). */
export const budgetIndexKey = (prefix: string): string => `${prefix}:rate-limit:budgeted`;

type GateRedis = Redis & {
  vigilAdmit(...args: (string | number)[]): Promise<string[]>;
  vigilDefer(...args: (string | number)[]): Promise<number>;
};

/**
 * The gate shared by every worker of a deployment (all regions): budgets, their windows and Retry-After
 * deferrals in Redis, each decision one atomic script. Budgets are written by the scheduler (setBudgets on
 * every reconcile, so they come back after Redis loses its data); workers only read them.
 */
export function createRedisProviderGate(o: RedisProviderGateOptions): ProviderGate {
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const client = new Redis(o.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) as GateRedis;
  client.on('error', (err: Error) => o.onError?.(err));
  client.defineCommand('vigilAdmit', { numberOfKeys: 9, lua: ADMIT_SCRIPT });
  client.defineCommand('vigilDefer', { numberOfKeys: 1, lua: DEFER_SCRIPT });
  let closed = false;
  return {
    async setBudgets(budgets) {
      const index = budgetIndexKey(prefix);
      const before = await client.smembers(index);
      const m = client.multi();
      for (const p of before) if (!(p in budgets)) m.del(rateLimitKeys(prefix, p).budget).srem(index, p);
      for (const [p, b] of Object.entries(budgets))
        m.set(rateLimitKeys(prefix, p).budget, `${b.requests} ${b.perMs}`).sadd(index, p);
      await m.exec();
    },
    async acquire(r) {
      const k = rateLimitKeys(prefix, r.provider);
      const out = await client.vigilAdmit(
        k.budget,
        k.defer,
        ...k.state,
        r.now,
        r.probeId,
        r.slotAt,
        r.region,
        r.nextSlotAt,
        r.requests ?? 1,
        ...r.regions,
      );
      if (out[0] === 'deferred') return { ok: false, reason: 'deferred', until: Number(out[1]) };
      if (out[0] === 'budget')
        return {
          ok: false,
          reason: 'budget',
          budget: { requests: Number(out[1]), perMs: Number(out[2]) },
          first: Number(out[3]) === 1,
        };
      return { ok: true };
    },
    async defer(provider, until, now) {
      const capped = Math.min(until, now + MAX_DEFER_MS);
      return (await client.vigilDefer(rateLimitKeys(prefix, provider).defer, capped, now)) === 1;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (client.status === 'wait') client.disconnect();
      else await client.quit().catch(() => client.disconnect());
    },
  };
}
