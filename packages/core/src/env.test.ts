import { describe, expect, it } from 'vitest';
import { missingEnv, resolveEnv, MissingEnvError, envRefs, literalParts } from './env.js';

describe('env references', () => {
  it.each([
    ['Bearer ${env:TOKEN}', { TOKEN: 'abc' }, 'Bearer abc'],
    ['${env:HOST:-localhost}:${env:PORT:-80}', { PORT: '8080' }, 'localhost:8080'],
    ['${env:EMPTY:-}x', {}, 'x'],
    ['no refs $ {env:X}', {}, 'no refs $ {env:X}'],
  ])('resolves %s', (input, env, expected) => {
    expect(resolveEnv(input, env)).toBe(expected);
  });

  it('resolves deep inside objects and arrays without touching the input', () => {
    const input = { headers: { a: '${env:A}' }, list: ['${env:A}', 3] };
    expect(resolveEnv(input, { A: 'x' })).toEqual({ headers: { a: 'x' }, list: ['x', 3] });
    expect(input.headers.a).toBe('${env:A}');
  });

  it('reports every missing variable at once', () => {
    expect(missingEnv({ a: '${env:A}', b: '${env:B:-d}', c: '${env:C}' }, {})).toEqual(['A', 'C']);
    expect(() => resolveEnv('${env:A}', {})).toThrow(MissingEnvError);
  });

  it('lists references with defaults', () => {
    expect(envRefs(['${env:A}', '${env:B:-1}'])).toEqual([
      { name: 'A', hasDefault: false },
      { name: 'B', hasDefault: true },
    ]);
  });

  it('separates the literal text of a value from its references and their defaults', () => {
    expect(literalParts('Bearer sk_live_x${env:NOPE:-}')).toEqual({
      outside: 'Bearer sk_live_x\0',
      defaults: [],
    });
    expect(literalParts('${env:A:-demo}/${env:B}')).toEqual({ outside: '\0/\0', defaults: ['demo'] });
  });
});
