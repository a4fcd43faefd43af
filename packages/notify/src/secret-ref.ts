import { z } from 'zod';

const ENV_REF = /\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;

/** A config string that holds a secret: it must come from the environment, never be written in YAML. */
export function secretRef(what: string) {
  return z.string().regex(ENV_REF, `${what} is a secret: write it as \${env:NAME}, not as a literal value`);
}

/** A single-line string: no CR/LF can reach a header or a request line. */
export const singleLine = z
  .string()
  .min(1)
  .regex(/^[^\r\n]*$/, 'must be a single line');
