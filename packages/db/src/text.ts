// eslint-disable-next-line no-control-regex -- NUL is exactly what Postgres refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Postgres text and jsonb refuse NUL and lone UTF-16 surrogates (e.g. a body preview cut mid-character);
 * one such string would fail a whole batch, so each becomes U+FFFD.
 */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}
