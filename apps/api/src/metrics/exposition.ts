/**
 * Prometheus exposition: the text format 0.0.4 and OpenMetrics 1.0, from one list of metric families.
 * https://prometheus.io/docs/instrumenting/exposition_formats/ and https://openmetrics.io/
 */

export type MetricType = 'gauge' | 'counter';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  /** for a counter, the name without `_total` (OpenMetrics' family name); samples get the suffix */
  name: string;
  help: string;
  type: MetricType;
  /** OpenMetrics `# UNIT`: the name must end with `_<unit>` */
  unit?: 'seconds' | 'bytes' | 'ratio';
  samples: Sample[];
}

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The format an `Accept` header asks for: OpenMetrics when `application/openmetrics-text` is acceptable
 * at least as much as the text format (Prometheus sends both with q-values), otherwise the text format.
 */
export function negotiate(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'prometheus';
  let om = 0;
  let text = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qp = params.find((p) => p.startsWith('q='));
    const q = qp === undefined ? 1 : Number(qp.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'application/openmetrics-text') om = Math.max(om, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') text = Math.max(text, q);
  }
  return om > 0 && om >= text ? 'openmetrics' : 'prometheus';
}

/** Renders the families; samples with a non-finite value are dropped, empty families are left out. */
export function render(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const out: string[] = [];
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`invalid metric name ${f.name}`);
    const samples = f.samples.filter((s) => Number.isFinite(s.value));
    if (samples.length === 0) continue;
    const sampleName = f.type === 'counter' ? `${f.name}_total` : f.name;
    const family = format === 'openmetrics' ? f.name : sampleName;
    out.push(`# HELP ${family} ${escapeHelp(f.help)}`, `# TYPE ${family} ${f.type}`);
    if (format === 'openmetrics' && f.unit) out.push(`# UNIT ${family} ${f.unit}`);
    for (const s of samples) out.push(`${sampleName}${labelSet(s.labels)} ${number(s.value)}`);
  }
  if (format === 'openmetrics') out.push('# EOF');
  return `${out.join('\n')}\n`;
}

function labelSet(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  for (const [k] of entries) if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`invalid label ${k}`);
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** Label values: backslash, double quote and line feed escaped (both formats). */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Go's ParseFloat reads every finite JS number string (`0.5`, `1e+21`, `-0`). */
function number(v: number): string {
  return String(v);
}
