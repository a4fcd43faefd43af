import { describe, expect, it } from 'vitest';
import { isWholeRef, resolveStepRefs, StepRefError, stepRefs } from './templating.js';

const values = new Map([
  ['token', new Map([['accessToken', 'tok-123']])],
  ['charge', new Map([['id', 'ch 1/2']])],
]);

describe('${steps.<name>.<var>} references', () => {
  it('finds well-formed references and flags a ${steps. that starts none', () => {
    expect(stepRefs('Bearer ${steps.token.accessToken}')).toEqual({
      refs: [{ step: 'token', variable: 'accessToken' }],
      malformed: false,
    });
    expect(stepRefs('${steps.token}').malformed).toBe(true);
    expect(stepRefs('${steps.a-b.x_1} ${steps.c.y}').refs).toHaveLength(2);
    expect(stepRefs('${env:X}').refs).toEqual([]);
    expect(isWholeRef('${steps.a.b}')).toBe(true);
    expect(isWholeRef('x${steps.a.b}')).toBe(false);
  });

  it('substitutes values, encoding them unless the text is one whole reference', () => {
    expect(resolveStepRefs('Bearer ${steps.token.accessToken}', values, 'charge')).toBe('Bearer tok-123');
    expect(resolveStepRefs('/c/${steps.charge.id}', values, 'next', encodeURIComponent)).toBe(
      '/c/ch%201%2F2',
    );
    expect(resolveStepRefs('${steps.charge.id}', values, 'next', encodeURIComponent)).toBe('ch 1/2');
    expect(resolveStepRefs('no reference', values, 'x')).toBe('no reference');
  });

  it('a missing variable is an error naming the asking step, the step and the variable', () => {
    const missing = () => resolveStepRefs('Bearer ${steps.token.access_token}', values, 'charge');
    expect(missing).toThrow(StepRefError);
    expect(missing).toThrow(
      'step "charge": ${steps.token.access_token} is not defined: step "token" extracts accessToken, not access_token',
    );
    expect(() => resolveStepRefs('${steps.tokn.accessToken}', values, 'charge')).toThrow(
      'step "charge": ${steps.tokn.accessToken} is not defined: no earlier step "tokn" ran (earlier steps: token, charge)',
    );
  });

  it('the error carries names only, never a value', () => {
    try {
      resolveStepRefs('${steps.token.other}', values, 'charge');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StepRefError);
      expect((err as StepRefError).ref).toEqual({ step: 'token', variable: 'other' });
      expect((err as Error).message).not.toContain('tok-123');
    }
  });
});
