import { z } from 'zod';
import { API_BASE, type Operation } from './operation.js';
import { components, ErrorBody } from './schemas.js';

const REF = (id: string) => `#/components/schemas/${id}`;

type Json = Record<string, unknown>;

function strip(s: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = s;
  return rest;
}

/** A schema as the document shows it: a $ref for a registered one, else inline (refs to components). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const meta = components.get(schema);
  if (meta) return { $ref: REF(meta.id) };
  return strip(
    z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as Json,
  );
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!schema) return [];
  const obj = strip(
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json,
  ) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(obj.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (obj.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const ERRORS: Record<number, string> = {
  400: 'a bad parameter (named in the message)',
  401: 'no token, or an unknown one',
  403: 'the token lacks the scope',
  404: 'no such resource',
  429: 'too many writes; see Retry-After',
};

/** The OpenAPI 3.1 document of `ops`, its schemas generated from the zod schemas the routes validate with. */
export function openApiDocument(ops: readonly Operation[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const o of ops) {
    const responses: Record<string, Json> = {};
    for (const [status, r] of Object.entries(o.responses))
      responses[status] =
        'schema' in r
          ? {
              description: r.description,
              content: { 'application/json': { schema: schemaOf(r.schema, 'output') } },
            }
          : Object.keys(r.media).length === 0
            ? { description: r.description }
            : {
                description: r.description,
                content: Object.fromEntries(
                  Object.keys(r.media).map((m) => [m, { schema: { type: 'string' } }]),
                ),
              };
    const errors = [400, ...(o.scope ? [401, 403] : []), 404, ...(o.scope === 'write' ? [429] : [])];
    for (const s of errors)
      responses[String(s)] ??= {
        description: ERRORS[s],
        content: { 'application/json': { schema: { $ref: REF('Error') } } },
      };
    (paths[API_BASE + o.path] ??= {})[o.method] = {
      operationId: o.id,
      summary: o.summary,
      tags: [o.tag],
      ...(o.scope ? { security: [{ bearer: [] }], 'x-vigil-scope': o.scope } : { security: [] }),
      parameters: [...parameters(o.params, 'path'), ...parameters(o.query, 'query')],
      ...(o.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(o.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  void ErrorBody;
  const all = z.toJSONSchema(components, { target: 'draft-2020-12', uri: REF, unrepresentable: 'any' }) as {
    schemas: Record<string, Json>;
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: '1',
      description:
        'Read the state, availability, incidents and reports Vigil computes; silence and acknowledge (write scope). Bearer tokens from vigil.yaml api.tokens.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas: Object.fromEntries(Object.entries(all.schemas).map(([k, v]) => [k, strip(v)])),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
