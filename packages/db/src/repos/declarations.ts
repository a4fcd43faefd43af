import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { providerDeclarations, statusPagePolls } from '../schema/index.js';
import type { DeclarationUpdate } from '../schema/provider-declarations.js';
import type { DeclaredComponent } from '../schema/status-page-polls.js';

export type DeclarationRow = typeof providerDeclarations.$inferSelect;
export type StatusPagePoll = typeof statusPagePolls.$inferSelect;
export type { DeclarationUpdate, DeclaredComponent };

/** One incident or maintenance as the status page shows it now (what a poll read). */
export interface SeenDeclaration {
  kind: 'incident' | 'maintenance';
  externalId: string;
  title: string;
  impact: string;
  status: string;
  components: string[];
  url: string | null;
  startedAt: Date;
  scheduledUntil: Date | null;
  resolvedAt: Date | null;
  lastUpdateAt: Date | null;
  updates: DeclarationUpdate[];
  /** the page says it is over (resolved, postmortem, completed) */
  ended: boolean;
}

/** What one good poll of a status page read. */
export interface StatusSnapshot {
  indicator: string | null;
  description: string | null;
  pageUrl: string | null;
  components: DeclaredComponent[];
  declarations: SeenDeclaration[];
}

export interface PollClaim {
  provider: string;
  url: string;
  holder: string;
  now: Date;
  /** the next poll is due this long after the claim (the configured interval) */
  intervalMs: number;
}

/**
 * Claims the next poll of a provider's status page for `holder`: true when it is due (or new), and then
 * no other evaluator gets it before `now + intervalMs`, so the page is polled once per interval however
 * many replicas run. A changed URL is due at once, and forgets the validators of the old one.
 */
export async function claimStatusPoll(db: Db, c: PollClaim): Promise<StatusPagePoll | null> {
  const next = new Date(c.now.getTime() + c.intervalMs);
  const rows = await db
    .insert(statusPagePolls)
    .values({ provider: c.provider, url: c.url, nextPollAt: next, claimedBy: c.holder })
    .onConflictDoUpdate({
      target: statusPagePolls.provider,
      set: {
        nextPollAt: next,
        claimedBy: c.holder,
        url: c.url,
        etag: sql`case when ${statusPagePolls.url} = ${c.url} then ${statusPagePolls.etag} end`,
        lastModified: sql`case when ${statusPagePolls.url} = ${c.url} then ${statusPagePolls.lastModified} end`,
      },
      where: sql`${statusPagePolls.nextPollAt} <= ${c.now.toISOString()}::timestamptz or ${statusPagePolls.url} <> ${c.url}`,
    })
    .returning();
  const row = rows[0];
  return row && row.claimedBy === c.holder ? row : null;
}

/** The poll states of these providers (all when omitted). */
export async function statusPolls(db: Db, providers?: readonly string[]): Promise<StatusPagePoll[]> {
  if (providers?.length === 0) return [];
  return db
    .select()
    .from(statusPagePolls)
    .where(providers ? inArray(statusPagePolls.provider, [...providers]) : undefined)
    .orderBy(asc(statusPagePolls.provider));
}

/** A 304: the page is unchanged; its declarations stand as stored. */
export async function recordPollUnchanged(db: Db, provider: string, now: Date): Promise<void> {
  await db
    .update(statusPagePolls)
    .set({ lastPolledAt: now, lastOkAt: now })
    .where(eq(statusPagePolls.provider, provider));
}

/** A failed poll (network, status, bad JSON): the error is kept, the last good declarations stand. */
export async function recordPollFailed(db: Db, provider: string, now: Date, error: string): Promise<void> {
  await db
    .update(statusPagePolls)
    .set({ lastPolledAt: now, lastError: error.slice(0, 1000), lastErrorAt: now })
    .where(eq(statusPagePolls.provider, provider));
}

export interface StoreSnapshotResult {
  /** declarations seen for the first time */
  started: number;
  /** declarations seen to end (the page says so, or they left the page) */
  ended: number;
}

/**
 * Stores a good poll in one transaction: the page's overall state and validators, each declaration
 * upserted (first seen kept), and the open ones the page no longer lists marked ended at `now`.
 */
export async function storeStatusSnapshot(
  db: Db,
  provider: string,
  snap: StatusSnapshot,
  validators: { etag: string | null; lastModified: string | null },
  now: Date,
): Promise<StoreSnapshotResult> {
  return db.transaction(async (tx) => {
    await tx
      .update(statusPagePolls)
      .set({
        lastPolledAt: now,
        lastOkAt: now,
        lastError: null,
        lastErrorAt: null,
        etag: validators.etag,
        lastModified: validators.lastModified,
        indicator: snap.indicator,
        description: snap.description,
        components: snap.components,
        pageUrl: snap.pageUrl,
      })
      .where(eq(statusPagePolls.provider, provider));
    const open = await tx
      .select({ kind: providerDeclarations.kind, externalId: providerDeclarations.externalId })
      .from(providerDeclarations)
      .where(and(eq(providerDeclarations.provider, provider), isNull(providerDeclarations.endedSeenAt)));
    const existing = new Set(
      (
        await tx
          .select({ kind: providerDeclarations.kind, externalId: providerDeclarations.externalId })
          .from(providerDeclarations)
          .where(
            and(
              eq(providerDeclarations.provider, provider),
              snap.declarations.length > 0
                ? inArray(
                    providerDeclarations.externalId,
                    snap.declarations.map((d) => d.externalId),
                  )
                : sql`false`,
            ),
          )
      ).map((r) => `${r.kind}\u0000${r.externalId}`),
    );
    let started = 0;
    let ended = 0;
    const wasOpen = new Set(open.map((r) => `${r.kind}\u0000${r.externalId}`));
    const seen = new Set<string>();
    for (const d of snap.declarations) {
      const key = `${d.kind}\u0000${d.externalId}`;
      seen.add(key);
      if (!existing.has(key) && !d.ended) started++;
      if (wasOpen.has(key) && d.ended) ended++;
      const values = {
        title: d.title,
        impact: d.impact,
        status: d.status,
        components: d.components,
        url: d.url,
        startedAt: d.startedAt,
        scheduledUntil: d.scheduledUntil,
        resolvedAt: d.resolvedAt,
        lastUpdateAt: d.lastUpdateAt,
        updates: d.updates,
        lastSeenAt: now,
      };
      await tx
        .insert(providerDeclarations)
        .values({
          provider,
          kind: d.kind,
          externalId: d.externalId,
          ...values,
          firstSeenAt: now,
          endedSeenAt: d.ended ? now : null,
        })
        .onConflictDoUpdate({
          target: [providerDeclarations.provider, providerDeclarations.kind, providerDeclarations.externalId],
          set: {
            ...values,
            // ended once stays ended at the first time it was seen to end; reopened clears it
            endedSeenAt: d.ended
              ? sql`coalesce(${providerDeclarations.endedSeenAt}, ${now.toISOString()}::timestamptz)`
              : null,
          },
        });
    }
    const gone = open.filter((r) => !seen.has(`${r.kind}\u0000${r.externalId}`));
    for (const r of gone) {
      ended++;
      await tx
        .update(providerDeclarations)
        .set({ endedSeenAt: now })
        .where(
          and(
            eq(providerDeclarations.provider, provider),
            eq(providerDeclarations.kind, r.kind),
            eq(providerDeclarations.externalId, r.externalId),
          ),
        );
    }
    return { started, ended };
  });
}

export interface DeclarationQuery {
  providers?: readonly string[];
  /** declarations standing at some point of [from, to): seen before `to`, not seen ended before `from` */
  from: Date;
  to: Date;
}

/**
 * Declarations that stood during [from, to) (by when the poller saw them), oldest first. A scheduled
 * maintenance counts from when it was announced.
 */
export async function declarationsBetween(db: Db, q: DeclarationQuery): Promise<DeclarationRow[]> {
  if (q.providers?.length === 0) return [];
  return db
    .select()
    .from(providerDeclarations)
    .where(
      and(
        q.providers ? inArray(providerDeclarations.provider, [...q.providers]) : undefined,
        sql`${providerDeclarations.firstSeenAt} < ${q.to.toISOString()}::timestamptz`,
        sql`(${providerDeclarations.endedSeenAt} is null or ${providerDeclarations.endedSeenAt} >= ${q.from.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(asc(providerDeclarations.startedAt), asc(providerDeclarations.externalId));
}

/** Declarations seen to start or end in (after, upTo]: what the evaluator's follow-up notices are about. */
export async function declarationChanges(db: Db, after: Date, upTo: Date): Promise<DeclarationRow[]> {
  const a = after.toISOString();
  const b = upTo.toISOString();
  return db
    .select()
    .from(providerDeclarations)
    .where(
      sql`(${providerDeclarations.firstSeenAt} > ${a}::timestamptz and ${providerDeclarations.firstSeenAt} <= ${b}::timestamptz)
        or (${providerDeclarations.endedSeenAt} > ${a}::timestamptz and ${providerDeclarations.endedSeenAt} <= ${b}::timestamptz)`,
    )
    .orderBy(asc(providerDeclarations.firstSeenAt), asc(providerDeclarations.externalId));
}

/** Drops declarations that ended before `before` (kept as long as the rollups they are shown beside). */
export async function deleteOldDeclarations(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(providerDeclarations)
    .where(sql`${providerDeclarations.endedSeenAt} < ${before.toISOString()}::timestamptz`)
    .returning({ id: providerDeclarations.externalId });
  return rows.length;
}
