import { performance } from 'node:perf_hooks';
import {
  Redactor,
  type AssertionResult,
  type ErrorClass,
  type Phases,
  type ResponseNotices,
  type StepResult,
} from '@vigil/core';
import { addPhase, emptyPhases, round } from '../../phases.js';
import type { ProbeContext, ProbeRunOutput } from '../../types.js';
import type { HttpExpect } from './expect.js';
import { extractValues, type ExtractedValue } from './extract.js';
import { runRequest, type RequestBudget, type RequestOutcome } from './run-request.js';
import type { HttpSpec, HttpStep, HttpStepsSpec } from './spec.js';
import { mapStrings, resolveStepRefs, StepRefError, type StepValues } from './templating.js';

/** The shortest extracted secret hidden from output (as for `${env:…}` values: shorter would hide noise). */
const MIN_SECRET_LENGTH = 3;

/** What the steps runner uses from the outside world: injectable so a test can drive time and requests. */
export interface StepsIO {
  /** monotonic milliseconds */
  now(): number;
  request: typeof runRequest;
}

const realIO: StepsIO = { now: () => performance.now(), request: runRequest };

/** A step that could not be sent or judged for a reason of its own (not its response's). */
class StepError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs the steps of a multi-step http probe in order under the probe's one deadline (`ctx.timeoutMs`
 * for all of them: each step gets what the ones before it left). A step's request has the values
 * earlier steps extracted in place of its `${steps.<name>.<var>}`; it is judged against its own `expect`
 * over the probe's `expect` (key by key), and the first step that is not up ends the run: the result's
 * message and class are that step's, prefixed `step "<name>": `.
 *
 * A value extracted from the response to a request that carried a secret (a resolved `${env:…}`, an
 * earlier secret value, any `auth`) becomes a secret of the run unless declared `secret: false`, and
 * any value declared `secret: true` does: hidden from the result like a resolved `${env:…}`, and kept
 * from other origins by the redirect rules.
 */
export async function runSteps(
  spec: HttpStepsSpec,
  probeExpect: HttpExpect,
  ctx: ProbeContext,
  io: StepsIO = realIO,
): Promise<ProbeRunOutput> {
  const t0 = io.now();
  let secrets = ctx.secrets ?? Redactor.none;
  const values = new Map<string, Map<string, string>>();
  const steps: StepResult[] = [];
  const assertions: AssertionResult[] = [];
  let phases = emptyPhases(0);
  let tlsDaysLeft: number | null = null;
  let notices: ResponseNotices | null = null;
  let failure: { step: string; out: Pick<RequestOutcome, 'outcome' | 'errorClass' | 'message'> } | null =
    null;
  let httpStatus: number | null = null;
  let retryAfterS: number | null = null;
  let endAt: number | null = null;
  const timeoutText = `${ctx.timeoutMs}ms, the timeout all steps share`;

  for (const step of spec.steps) {
    const startedAt = io.now();
    const leftMs = ctx.timeoutMs - (startedAt - t0);
    const label = `step "${step.name}"`;
    let out: RequestOutcome;
    try {
      if (leftMs <= 0)
        throw new StepError(
          'timeout',
          `not started: the probe's ${ctx.timeoutMs}ms timeout was spent by the steps before it`,
        );
      const request = stepRequest(spec, step, values);
      const carriesSecret = step.auth !== undefined || requestHoldsSecret(request, secrets);
      const budget: RequestBudget = { timeoutMs: leftMs, timeoutText };
      out = await io.request(request, { ...probeExpect, ...step.expect }, ctx, budget, secrets);
      secrets = out.secrets;
      if (out.outcome === 'up' && step.extract !== undefined) {
        const got = extractValues(step.extract, out.response ?? { headers: {}, bodyText: null });
        const vars = new Map<string, string>();
        for (const v of got.values) {
          vars.set(v.variable, v.value);
          if ((v.secret ?? carriesSecret) && v.value.length >= MIN_SECRET_LENGTH) {
            ctx.addSecret?.(v.value);
            secrets = secrets.with([v.value]);
          }
        }
        values.set(step.name, vars);
        out = withExtractAssertions(out, got.values, got.failures);
      } else values.set(step.name, new Map());
    } catch (err) {
      if (!(err instanceof StepError || err instanceof StepRefError)) throw err;
      const errorClass = err instanceof StepRefError ? 'config' : err.errorClass;
      const message = err instanceof StepRefError ? err.message.replace(/^step "[^"]*": /, '') : err.message;
      out = {
        phases: emptyPhases(0),
        outcome: 'down',
        httpStatus: null,
        errorClass,
        message,
        assertions: [],
        retryAfterS: null,
        tlsDaysLeft: null,
        notices: null,
        response: null,
        secrets,
      };
    }
    steps.push({
      name: step.name,
      outcome: out.outcome,
      httpStatus: out.httpStatus,
      errorClass: out.errorClass,
      phases: out.phases,
    });
    phases = sumPhases(phases, out.phases);
    assertions.push(summary(label, out), ...out.assertions.map((a) => prefixed(label, a)));
    if (out.tlsDaysLeft !== null) tlsDaysLeft = Math.min(tlsDaysLeft ?? Infinity, out.tlsDaysLeft);
    notices ??= out.notices;
    httpStatus = out.httpStatus;
    if (out.outcome !== 'up') {
      failure = { step: step.name, out };
      retryAfterS = out.retryAfterS;
      // a step that timed out ended when its deadline passed, not when its run was settled
      if (out.errorClass === 'timeout') endAt = startedAt + out.phases.totalMs;
      break;
    }
  }
  phases.totalMs = round((endAt ?? io.now()) - t0);
  const redact = (text: string) => secrets.redact(text);
  return {
    phases,
    outcome: failure?.out.outcome ?? 'up',
    httpStatus,
    errorClass: failure?.out.errorClass ?? null,
    message: failure ? redact(`step "${failure.step}": ${failure.out.message ?? 'failed'}`) : null,
    assertions: assertions.map((a) => ({
      ...a,
      expected: redact(a.expected),
      actual: redact(a.actual),
      message: redact(a.message),
    })),
    retryAfterS,
    tlsDaysLeft,
    notices,
    steps,
  };
}

/**
 * The request of `step`: its own fields with every `${steps.…}` resolved, the headers beside `steps`
 * under its own, and the probe's connection settings. In a URL a value is percent-encoded unless it is
 * the whole URL (in the path it keeps its `/`; in the query it is one parameter's value); a header
 * value may not hold a line break.
 */
export function stepRequest(spec: HttpStepsSpec, step: HttpStep, values: StepValues): HttpSpec {
  const at = (text: string, encode?: (v: string) => string) =>
    resolveStepRefs(text, values, step.name, encode);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...spec.headers, ...step.headers })) {
    const value = at(v);
    if (/[\r\n\0]/.test(value))
      throw new StepError('assertion_failed', `header ${k}: a value from an earlier step holds a line break`);
    headers[k] = value;
  }
  const q = step.url.indexOf('?');
  let url: string;
  try {
    url =
      q === -1
        ? at(step.url, encodePath)
        : `${at(step.url.slice(0, q), encodePath)}?${at(step.url.slice(q + 1), encodeURIComponent)}`;
  } catch (err) {
    if (err instanceof URIError)
      throw new StepError('assertion_failed', 'url: a value from an earlier step is not valid text');
    throw err;
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new StepError('assertion_failed', 'url: a value from an earlier step does not make an http(s) URL');
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.query)) query[k] = at(v);
  const request: HttpSpec = {
    url,
    method: step.method,
    headers,
    query,
    ...(step.body !== undefined && { body: at(step.body) }),
    ...(step.json !== undefined && { json: mapStrings(step.json, (s) => at(s)) }),
    ...(step.auth !== undefined && { auth: mapStrings(step.auth, (s) => at(s)) as HttpSpec['auth'] }),
    ...(spec.redirects !== undefined && { redirects: spec.redirects }),
    followRedirects: spec.followRedirects,
    maxRedirects: spec.maxRedirects,
    maxBodyBytes: spec.maxBodyBytes,
    tls: spec.tls,
  };
  return request;
}

/** A value in a URL's path: its `/` kept (a path from a response), what would end the path encoded. */
function encodePath(value: string): string {
  return encodeURI(value).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

/** Whether a resolved request carries a secret anywhere a server can read it. */
function requestHoldsSecret(r: HttpSpec, secrets: Redactor): boolean {
  if (secrets.empty) return false;
  const texts = [r.url, ...Object.values(r.headers), ...Object.values(r.query), r.body ?? ''];
  if (r.json !== undefined) texts.push(JSON.stringify(r.json));
  return texts.some((t) => secrets.has(t));
}

/** One assertion per variable: found (never its value) or why not; a missing one fails the step. */
function withExtractAssertions(
  out: RequestOutcome,
  values: ExtractedValue[],
  failures: { variable: string; source: string; reason: string }[],
): RequestOutcome {
  const found: AssertionResult[] = values.map((v) => ({
    name: `extract ${v.variable}`,
    ok: true,
    expected: 'a value',
    actual: 'found',
    message: `extracted ${v.variable}`,
  }));
  const missing: AssertionResult[] = failures.map((f) => ({
    name: `extract ${f.variable}`,
    ok: false,
    expected: `a value at ${f.source}`,
    actual: 'nothing usable',
    message: `extract ${f.variable}: ${f.source} ${f.reason}`,
  }));
  if (missing.length === 0) return { ...out, assertions: [...out.assertions, ...found] };
  return {
    ...out,
    outcome: 'down',
    errorClass: 'assertion_failed',
    message: missing.map((a) => a.message).join('; '),
    assertions: [...out.assertions, ...found, ...missing],
  };
}

function prefixed(label: string, a: AssertionResult): AssertionResult {
  return { ...a, name: `${label}: ${a.name}`, message: `${label}: ${a.message}` };
}

/** A step's phases as one assertion: what the stored row keeps of each step (it has no column for them). */
function summary(label: string, out: RequestOutcome): AssertionResult {
  const p = out.phases;
  const ms = (v: number | null) => (v === null ? '-' : `${round(v)}ms`);
  const status = out.httpStatus === null ? 'no response' : `HTTP ${out.httpStatus}`;
  const actual = `${status} in ${ms(p.totalMs)} (dns ${ms(p.dnsMs)}, connect ${ms(p.connectMs)}, tls ${ms(p.tlsMs)}, first byte ${ms(p.ttfbMs)}, transfer ${ms(p.transferMs)})`;
  return {
    name: label,
    ok: out.outcome === 'up',
    expected: 'to pass',
    actual,
    message: `${label}: ${actual}`,
  };
}

function sumPhases(a: Phases, b: Phases): Phases {
  return {
    dnsMs: addPhase(a.dnsMs, b.dnsMs),
    connectMs: addPhase(a.connectMs, b.connectMs),
    tlsMs: addPhase(a.tlsMs, b.tlsMs),
    ttfbMs: addPhase(a.ttfbMs, b.ttfbMs),
    transferMs: addPhase(a.transferMs, b.transferMs),
    totalMs: a.totalMs + b.totalMs,
  };
}
