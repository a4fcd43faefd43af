/** HTML built only through `html`: every interpolated value is escaped unless it is itself `html` (or `raw`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element or a quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const render = (v: Part): string =>
  v === null || v === undefined || v === false
    ? ''
    : v instanceof Html
      ? v.value
      : Array.isArray(v)
        ? v.map(render).join('')
        : escapeHtml(String(v));

/** `html\`<p>${name}</p>\``: strings and numbers are escaped, arrays joined, null/undefined/false dropped. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (e.g. an SVG this code generated). Never pass anything from a probe, a target or config. */
export const raw = (s: string): Html => new Html(s);
