// Child process: the evaluator role (evaluation ticks and the outbox relay) exactly as
// apps/evaluator/src/main.ts starts it, plus an onJudged hook that notes when each slot's verdict
// committed, so the bench can time result → verdict across processes. IPC:
//   { type: 'measure', from, to }  note verdicts of slots in [from, to) from now on (again: narrows it)
//   'count' (ask)                  → { type: 'count:reply', n } verdicts noted so far
//   'verdicts' (ask)               → { type: 'verdicts:reply', judged: [probeId, slotAt, committedAt][],
//                                      maxGapMs } (longest gap between two committed ticks that judged slots)
import { startEvaluatorProcess } from '@vigil/evaluator';

/** bounds the child's memory whatever the window: 10,000 probes × 10 s for 10 minutes */
const MAX_NOTED = 600_000;

let range: { from: number; to: number } | null = null;
const noted: [string, number, number][] = [];
let lastJudgedAt: number | null = null;
let maxGapMs = 0;
// onJudged runs after each committed tick
const { log } = await startEvaluatorProcess({
  onJudged: (judged) => {
    if (!range) return;
    const at = Date.now();
    // committed ticks that judged something, while measuring: a long gap is a stalled evaluator
    if (lastJudgedAt !== null) maxGapMs = Math.max(maxGapMs, at - lastJudgedAt);
    lastJudgedAt = at;
    for (const [probeId, slots] of judged)
      for (const s of slots)
        if (s.at >= range.from && s.at < range.to && noted.length < MAX_NOTED)
          noted.push([probeId, s.at, at]);
  },
});

process.on('message', (msg: { type?: string; from?: number; to?: number }) => {
  if (msg.type === 'measure' && typeof msg.from === 'number' && typeof msg.to === 'number')
    range = { from: msg.from, to: msg.to };
  // the range may have been narrowed since a verdict was noted: answer with the ones inside it
  const inRange = () => noted.filter(([, at]) => range !== null && at >= range.from && at < range.to);
  if (msg.type === 'count') process.send?.({ type: 'count:reply', n: inRange().length });
  if (msg.type === 'verdicts') process.send?.({ type: 'verdicts:reply', judged: inRange(), maxGapMs });
});
log.info('bench evaluator started');
