/** What stands in for a secret in every text Vigil emits. */
export const REDACTED = '[REDACTED]';

/** The shortest start of a secret that is removed where a text was cut (`…`, `...`, or the end of a long one). */
export const MIN_EDGE_PREFIX = 3;

/**
 * A run of base64 or base64url characters, also as a URL (`%2B`, `%2F`, `%3D`) or a JSON string (`\/`)
 * carries them, with its padding.
 */
const B64_RUN = /(?:[A-Za-z0-9+/_-]|%2[BbFf]|\\\/){4,}(?:=|%3[Dd]){0,2}/g;
const EDGE = /…|\.\.\./g;
/** A text this long may have been cut without a mark (`slice(0, n)`): its end is an edge too. */
const CUT_WITHOUT_MARK = 100;
const B64: Record<string, number> = {};
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].entries())
  B64[c] = i;
B64['+'] = B64['-'] = 62;
B64['/'] = B64['_'] = 63;

type Range = [start: number, end: number];

/**
 * The one place that hides resolved secrets from output (results, logs, `check --json`, outbox errors,
 * alerts). Given the secret values, it replaces each one and the forms a server echoes it in: JSON-escaped
 * (once or twice, `\/`, `\u`), HTML-escaped, percent- and form-encoded (either hex case), and any
 * base64/base64url run that decodes to bytes containing it, whatever the alignment and wrapper
 * (HTTP Basic `user:pass`, SMTP AUTH PLAIN `\0user\0pass`). A secret cut where a text was truncated
 * loses its start too, so at most {@link MIN_EDGE_PREFIX} - 1 characters of it can remain. Pure.
 */
export class Redactor {
  static readonly none = new Redactor([]);
  /** text forms, longest first */
  private readonly forms: string[];
  /** the UTF-8 bytes (one char per byte) of each secret, as is and JSON-escaped: what base64 may hide */
  private readonly bytes: string[];
  /** the shortest base64 run that can hold a whole one of `bytes` */
  private readonly minRun: number;

  /** the secret values as given */
  private readonly values: readonly string[];

  constructor(secrets: readonly string[]) {
    this.values = secrets;
    const forms = new Set<string>();
    const bytes = new Set<string>();
    for (const s of new Set(secrets)) {
      if (s.length === 0) continue;
      for (const f of textForms(s)) forms.add(f);
      bytes.add(utf8Bytes(s)).add(utf8Bytes(JSON.stringify(s).slice(1, -1)));
    }
    this.forms = [...forms].sort((a, b) => b.length - a.length);
    this.bytes = [...bytes];
    this.minRun = Math.min(...this.bytes.map((b) => Math.ceil((b.length * 4) / 3)));
  }

  /** a redactor that also hides `more`, e.g. a token a run obtained (an OAuth2 access token) */
  with(more: readonly string[]): Redactor {
    return more.length === 0 ? this : new Redactor([...this.values, ...more]);
  }

  /** whether there is anything to hide */
  get empty(): boolean {
    return this.forms.length === 0;
  }

  /** whether `text` holds a secret in any form this redactor knows */
  has(text: string): boolean {
    return !this.empty && this.ranges(text).length > 0;
  }

  redact(text: string): string {
    if (this.empty || text.length === 0) return text;
    const ranges = merge(this.ranges(text));
    if (ranges.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [start, end] of ranges) {
      out += text.slice(at, start) + REDACTED;
      at = end;
    }
    return out + text.slice(at);
  }

  private ranges(text: string): Range[] {
    const out: Range[] = [];
    const edges = [...text.matchAll(EDGE)].map((m) => m.index);
    if (text.length >= CUT_WITHOUT_MARK) edges.push(text.length);
    for (const f of this.forms) {
      for (let i = text.indexOf(f); i !== -1; i = text.indexOf(f, i + 1)) out.push([i, i + f.length]);
      for (const e of edges) {
        const k = longestPrefixEndingAt(text, e, f);
        if (k > 0) out.push([e - k, e]);
      }
    }
    for (const m of text.matchAll(B64_RUN)) {
      const run = m[0];
      const end = m.index + run.length;
      const atEdge = edges.includes(end);
      if ((atEdge || run.length >= this.minRun) && this.inBase64(run, atEdge)) out.push([m.index, end]);
    }
    const kept = new Set([...text.matchAll(/\[REDACTED\]/g)].map((m) => m.index));
    return out.filter(([s, e]) => ![...kept].some((k) => s >= k && e <= k + REDACTED.length));
  }

  /** `run` decodes (from any of its 4 alignments) to bytes holding a secret, or, at an edge, its start */
  private inBase64(run: string, atEdge: boolean): boolean {
    const chars = run
      .replace(/%2[Bb]/g, '+')
      .replace(/%2[Ff]/g, '/')
      .replace(/\\\//g, '/');
    const body = chars.replace(/(?:=|%3[Dd])+$/, '');
    for (let offset = 0; offset < 4 && body.length - offset >= 4; offset++) {
      const decoded = decodeBase64(body.slice(offset));
      for (const b of this.bytes) {
        if (decoded.includes(b)) return true;
        if (atEdge && longestPrefixEndingAt(decoded, decoded.length, b) > 0) return true;
      }
    }
    return false;
  }
}

/** `text` with every form of every secret replaced by `[REDACTED]` (see {@link Redactor}). */
export function redact(text: string, secrets: readonly string[] | Redactor): string {
  return (secrets instanceof Redactor ? secrets : new Redactor(secrets)).redact(text);
}

/** The forms a secret takes when a server or a serializer escapes or encodes it as text. */
function textForms(s: string): string[] {
  const json = JSON.stringify(s).slice(1, -1);
  const forms = [
    s,
    s.replace(/\s+/g, ' '),
    json,
    json.replaceAll('/', '\\/'),
    asciiJson(json, (h) => h),
    asciiJson(json, (h) => h.toUpperCase()),
    JSON.stringify(json).slice(1, -1),
    ...htmlForms(s),
    encodeURIComponent(s),
    encodeURI(s),
    formEncode(s),
  ];
  for (const f of forms.slice(-3)) forms.push(f.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  if (/%[0-9A-Fa-f]{2}/.test(s)) forms.push(percentDecoded(s));
  return forms;
}

/** a secret that is itself percent-encoded (a URL path) as a server that decoded it echoes it */
function percentDecoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch (err) {
    if (err instanceof URIError) return s;
    throw err;
  }
}

function asciiJson(json: string, hex: (h: string) => string): string {
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${hex(c.charCodeAt(0).toString(16).padStart(4, '0'))}`);
}

/** HTML escaping as escapers differ: `&<>` only, then also `"`, then also `'` (as `&#39;` or `&#x27;`). */
function htmlForms(s: string): string[] {
  const base = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const quoted = base.replace(/"/g, '&quot;');
  return [base, quoted, quoted.replace(/'/g, '&#39;'), quoted.replace(/'/g, '&#x27;')];
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it */
function formEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The length (≥ MIN_EDGE_PREFIX, < form length) of the longest start of `form` that ends at `edge`. */
function longestPrefixEndingAt(text: string, edge: number, form: string): number {
  const first = form.charCodeAt(0);
  for (let k = Math.min(form.length - 1, edge); k >= MIN_EDGE_PREFIX; k--)
    if (text.charCodeAt(edge - k) === first && text.startsWith(form.slice(0, k), edge - k)) return k;
  return 0;
}

function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** UTF-8 bytes of `s`, one char (0–255) per byte. */
function utf8Bytes(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out += ch;
    else if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000)
      out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out += String.fromCharCode(
        0xf0 | (c >> 18),
        0x80 | ((c >> 12) & 63),
        0x80 | ((c >> 6) & 63),
        0x80 | (c & 63),
      );
  }
  return out;
}

/** base64 or base64url without padding → bytes, one char per byte; a trailing partial byte is dropped. */
function decodeBase64(s: string): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    acc = ((acc << 6) | B64[ch]!) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}
