// User patterns use RE2 syntax (re2js): no backtracking, so a match is linear in the text for a given
// pattern; match-budget.ts bounds what is left (text length × program size can still be large).
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/** Why `source` is not a pattern Vigil can run, and where (0-based, in code points), or null. */
export interface PatternProblem {
  message: string;
  index: number | null;
}

const MISSING_PAREN = 'missing closing )';
const UNEXPECTED_PAREN = 'unexpected )';
/** Longer patterns are refused: compiling (once per process) and locating problems stay in milliseconds. */
export const MAX_PATTERN_LENGTH = 4096;
/** Prefixes compiled at most to find a problem's position; past that it is left out. */
const MAX_LOCATE_TRIES = 64;

export function patternProblem(source: string): PatternProblem | null {
  if (source.length > MAX_PATTERN_LENGTH)
    return { message: `longer than ${MAX_PATTERN_LENGTH} characters (${source.length})`, index: null };
  const err = syntaxError(source, compilePattern);
  if (err === null) return null;
  if (!(err instanceof RE2JSSyntaxException)) return { message: err.message, index: null };
  const at = locate(source, err);
  return {
    message: explain(err, source, at === null ? null : source.slice(at)),
    index: at === null ? null : Array.from(source.slice(0, at)).length,
  };
}

/** `expected a valid regular expression, got "a(?=b)": at character 2, lookahead (?= is not supported …`. */
export function describePatternProblem(source: string, p: PatternProblem): string {
  const where = p.index === null ? '' : `at character ${p.index + 1}, `;
  return `expected a valid regular expression, got ${JSON.stringify(source)}: ${where}${p.message}`;
}

const JS_ONLY: readonly [RegExp, (m: string) => string][] = [
  [/^\(\?[=!]/, (m) => `lookahead ${m} is not supported (RE2 syntax: no lookaround)`],
  [/^\(\?<[=!]/, (m) => `lookbehind ${m} is not supported (RE2 syntax: no lookaround)`],
  [/^\\[1-9]/, (m) => `backreference ${m} is not supported (RE2 syntax: no backreferences)`],
  [/^\\k/, () => 'named backreference \\k<…> is not supported (RE2 syntax: no backreferences)'],
  [/^\\u(?:\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4})?/, (m) => `write ${codePoint(m)} for a code point, not ${m}`],
  [/^\\c/, () => 'control escapes \\cX are not supported: write \\x01 … \\x1F'],
  [/^\\Z/, () => '\\Z is not supported: use \\z (end of text) or $'],
];

/** `\u00e9` or `\u{1F600}` → `\x{00e9}`, `\x{1F600}` (RE2's form). */
function codePoint(jsEscape: string): string {
  const hex = /[0-9a-fA-F]+/.exec(jsEscape.slice(2))?.[0];
  return hex === undefined ? '\\x{…}' : `\\x{${hex}}`;
}

/** RE2's own wording, or a hint for the JavaScript-only syntax people reach for. */
function explain(err: RE2JSSyntaxException, source: string, rest: string | null): string {
  if (rest !== null)
    for (const [re, hint] of JS_ONLY) {
      const m = re.exec(rest);
      if (m) return hint(m[0]);
    }
  return err.input && err.input !== source ? `${err.error}: \`${err.input}\`` : err.error;
}

function syntaxError(
  source: string,
  compile: (s: string) => unknown = (s) => RE2JS.compile(s),
): RE2JSException | null {
  try {
    compile(source);
    return null;
  } catch (err) {
    if (err instanceof RE2JSException) return err;
    throw err;
  }
}

/**
 * re2js names the offending text but not its offset. The parser reads left to right, so the error
 * starts at the first occurrence of that text whose prefix, compiled alone, fails the same way.
 */
function locate(source: string, err: RE2JSSyntaxException): number | null {
  let tries = MAX_LOCATE_TRIES;
  const prefixError = (end: number) => (tries-- > 0 ? syntaxError(source.slice(0, end)) : undefined);
  const at = (text: string): number[] => {
    const out: number[] = [];
    for (let i = source.indexOf(text); i >= 0; i = source.indexOf(text, i + 1)) out.push(i);
    return out;
  };
  const fails = (end: number, error: string, input?: string) => {
    const e = prefixError(end);
    return (
      e instanceof RE2JSSyntaxException && e.error === error && (input === undefined || e.input === input)
    );
  };
  // a missing ")": the unclosed group opens where the longest prefix that still compiles ends
  if (err.error === MISSING_PAREN)
    return (
      at('(')
        .reverse()
        .find((i) => prefixError(i) === null) ?? null
    );
  if (err.error === UNEXPECTED_PAREN) return at(')').find((i) => fails(i + 1, UNEXPECTED_PAREN)) ?? null;
  const text = err.input;
  if (!text) return null;
  return at(text).find((i) => fails(i + text.length, err.error, text)) ?? null;
}

const MAX_CACHED = 2000;
const compiled = new Map<string, RE2JS>();

/** The compiled pattern, once per source; throws for a source that {@link patternProblem} rejects. */
export function compilePattern(source: string): RE2JS {
  let re = compiled.get(source);
  if (re === undefined) {
    re = RE2JS.compile(source);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(source, re);
  }
  return re;
}

/** Drops a compiled pattern whose internal state may be unsound (a match stopped midway). */
export function forgetPattern(source: string): void {
  compiled.delete(source);
}
