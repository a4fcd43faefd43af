import { describe, expect, it } from 'vitest';
import { regexSchema } from './compare.js';
import { compilePattern, MAX_PATTERN_LENGTH, patternProblem } from './pattern.js';

describe('user patterns (RE2 syntax)', () => {
  it.each([
    ['a(?=b)', 2, 'lookahead (?= is not supported (RE2 syntax: no lookaround)'],
    ['^(?!test)', 2, 'lookahead (?! is not supported'],
    ['x(?<=a)b', 2, 'lookbehind (?<= is not supported'],
    ['(?<!a)b', 1, 'lookbehind (?<! is not supported'],
    ['(a)\\1', 4, 'backreference \\1 is not supported (RE2 syntax: no backreferences)'],
    ['\\\\1(a)\\1', 7, 'backreference \\1 is not supported'],
    ['(?<n>a)\\k<n>', 8, 'named backreference \\k<…> is not supported'],
    ['caf\\u00e9', 4, 'write \\x{00e9} for a code point, not \\u00e9'],
    ['smile \\u{1F600}', 7, 'write \\x{1F600} for a code point, not \\u{1F600}'],
    ['\\cA', 1, 'control escapes \\cX are not supported'],
    ['end\\Z', 4, '\\Z is not supported: use \\z (end of text) or $'],
    ['a{2,1}', 2, 'invalid repeat count: `{2,1}`'],
    ['x{1001}', 2, 'invalid repeat count: `{1001}`'],
    ['ab**', 3, 'invalid nested repetition operator: `**`'],
    ['(a)(b', 4, 'missing closing )'],
    ['((a)', 1, 'missing closing )'],
    ['[(]x(', 5, 'missing closing )'],
    ['a)b', 2, 'unexpected )'],
    [`${'(a)'.repeat(100)}(b`, 301, 'missing closing )'],
    ['é(a)\\((b', 7, 'missing closing )'],
    ['(a))', 4, 'unexpected )'],
    ['ok [a-', 4, 'missing closing ]: `[a-`'],
    ['[z-a]', 2, 'invalid character class range: `z-a`'],
    ['é(?=x)', 2, 'lookahead'],
  ])('rejects %j at character %i: %s', (source, character, message) => {
    const p = patternProblem(source);
    expect(p?.index).toBe(character - 1);
    expect(p?.message).toContain(message);
  });

  it('refuses a pattern longer than it compiles quickly', () => {
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH))).toBeNull();
    expect(patternProblem(`(${'a'.repeat(MAX_PATTERN_LENGTH)}`)?.message).toBe(
      `longer than ${MAX_PATTERN_LENGTH} characters (${MAX_PATTERN_LENGTH + 1})`,
    );
  });

  it('names the pattern, the position and the problem in the config error', () => {
    expect(regexSchema.safeParse('"status":\\s*"(?!down)').error?.issues[0]?.message).toBe(
      'expected a valid regular expression, got "\\"status\\":\\\\s*\\"(?!down)": at character 14, ' +
        'lookahead (?! is not supported (RE2 syntax: no lookaround)',
    );
  });

  it.each([
    ['(?i)^ok$', 'OK', true],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?<word>\\w+)-(?P<n>\\d+)', 'abc-42', true],
    ['\\x{e9}', 'café', true],
    ['\\p{Greek}+', 'αβγ', true],
    ['[[:digit:]]{3}', 'a123', true],
    ['\\d+?z', '12z', true],
    ['\\bok\\b', 'is ok.', true],
    ['a\\z', 'a\n', false],
    ['', 'anything', true],
  ])('%j against %j is %s (flags are inline: (?i) (?m) (?s))', (source, text, ok) => {
    expect(patternProblem(source)).toBeNull();
    expect(compilePattern(source).test(text)).toBe(ok);
  });

  it('compiles a pattern once, however often it is checked and matched', () => {
    const source = 'once-(\\d+)';
    expect(patternProblem(source)).toBeNull();
    expect(compilePattern(source)).toBe(compilePattern(source));
  });

  it.each(['(a+)+$', '(x+x+)+y', '^(\\w+\\s?)*$'])(
    'accepts the catastrophic-backtracking shape %j: RE2 matches it in linear time',
    (source) => {
      expect(patternProblem(source)).toBeNull();
      expect(compilePattern(source).test(`${'a'.repeat(50_000)}!`)).toBe(false);
    },
  );
});
