import { envRefs, missingEnv, type Env } from '@vigil/core';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostics } from './diagnostics.js';
import type { PathSegment } from './positions.js';
import type { SourceFile } from './source-file.js';

const REF_START = '${env:';

/**
 * Checks every string value of the file: a `${env:` that is not a well-formed reference is an error;
 * with `env`, so is a reference without a default that `env` lacks (reported where it is written).
 */
export function checkEnvRefs(source: SourceFile, env: Env | undefined, diags: Diagnostics): void {
  walk(source.doc.contents, [], (value, path) => {
    const starts = value.split(REF_START).length - 1;
    if (starts === 0) return;
    if (envRefs(value).length !== starts)
      diags.add(
        source.at(path, 'malformed environment reference: expected ${env:NAME} or ${env:NAME:-default}'),
      );
    if (env === undefined) return;
    for (const name of missingEnv(value, env))
      diags.add(source.at(path, `missing environment variable ${name}`));
  });
}

/** Calls `fn` with every string scalar of a YAML document and the path to it. */
export function walk(
  node: unknown,
  path: PathSegment[],
  fn: (value: string, path: PathSegment[]) => void,
): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') fn(node.value, path);
  } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i], fn));
  else if (isMap(node))
    for (const pair of node.items)
      if (isScalar(pair.key)) walk(pair.value as Node | null, [...path, String(pair.key.value)], fn);
}
