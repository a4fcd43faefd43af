import { existsSync, readFileSync } from 'node:fs';
import { etagOf } from './cache.js';

/**
 * Where apps/api/assets/status.css is: beside the source (src/pages/status → ../../../assets), or from a
 * bundle in dist/apps/<app>/ (the image keeps apps/ beside dist/).
 */
const CSS_AT = [
  new URL('../../../assets/status.css', import.meta.url),
  new URL('../../../apps/api/assets/status.css', import.meta.url),
];

let css: { text: string; version: string } | undefined;

/** The stylesheet and a short hash of it, read once. */
export function statusCss(): { text: string; version: string } {
  if (!css) {
    const text = readFileSync(CSS_AT.find((u) => existsSync(u)) ?? CSS_AT[0]!, 'utf8');
    css = { text, version: etagOf(text).slice(1, 11) };
  }
  return css;
}

/** The stylesheet's URL, versioned so it can be cached for long and still change with a release. */
export const statusCssHref = (): string => `/assets/status.css?v=${statusCss().version}`;
