import type { z } from 'zod';

/**
 * The error of a union "a plain value, or a map of conditions" (the map form last): for a map, the
 * first problem inside it (`regex: expected a string, got 5`) rather than the list of both forms.
 */
export function valueOrMapError(bothForms: string): (iss: z.core.$ZodRawIssue) => string {
  return (iss) => {
    const isMap = typeof iss.input === 'object' && iss.input !== null && !Array.isArray(iss.input);
    const first = iss.code === 'invalid_union' && isMap ? iss.errors.at(-1)?.[0] : undefined;
    if (first === undefined) return bothForms;
    return first.path.length === 0 ? first.message : `${first.path.join('.')}: ${first.message}`;
  };
}
