import { z } from 'zod';
import { probeDefaultsSchema, sharedProbeFields } from './schema/probe.js';
import { slugSchema } from './primitives.js';
import { vigilFileSchema } from './schema/vigil.js';
import type { KindSchemas } from './types.js';

const toJson = (schema: z.ZodType, title: string): object => ({
  ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
  title,
});

const optional = <T extends Record<string, z.ZodType>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()]));

/**
 * JSON Schema for probe files, from the same zod schemas the loader uses: one alternative per kind
 * (id, name and the kind block required; the rest may come from defaults). For editors.
 */
export function configJsonSchema(kinds: KindSchemas): object {
  const variants = Object.entries(kinds).map(([name, k]) =>
    z.strictObject({
      id: slugSchema(),
      name: z.string().min(1),
      ...optional(sharedProbeFields()),
      [name]: k.spec,
      expect: k.expect.optional(),
    }),
  );
  const probe = variants.length === 0 ? z.never() : variants.length === 1 ? variants[0]! : z.union(variants);
  const file = z.strictObject({ defaults: probeDefaultsSchema().optional(), probes: z.array(probe) });
  return toJson(file, 'Vigil probe file');
}

/** JSON Schema for vigil.yaml; channels are checked for `type` only. */
export function vigilJsonSchema(): object {
  return toJson(vigilFileSchema(), 'Vigil settings (vigil.yaml)');
}
