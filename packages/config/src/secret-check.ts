import { literalParts } from '@vigil/core';
import { isMap } from 'yaml';
import type { Diagnostic, Diagnostics } from './diagnostics.js';
import { walk } from './env-check.js';
import type { PathSegment } from './positions.js';
import type { SourceFile } from './source-file.js';

/** Credential formats with a fixed shape: a match is a live secret whoever wrote it and wherever. */
const KNOWN_FORMATS: { what: string; re: RegExp }[] = [
  { what: 'a Slack webhook URL', re: /hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/\w/i },
  { what: 'a Stripe secret key', re: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}/ },
  { what: 'a Slack token', re: /\bxox[abeoprs]-[A-Za-z0-9-]{8,}/ },
  { what: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})/ },
  { what: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a Google API key', re: /\bAIza[\w-]{35}/ },
  { what: 'a SendGrid API key', re: /\bSG\.[\w-]{16,}\.[\w-]{16,}/ },
  { what: 'a JSON Web Token', re: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/ },
  { what: 'a private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];
/** A password in a URL's user info: `scheme://user:password@host` (the scheme may be a reference). */
const URL_PASSWORD = /(?:\b[a-z][a-z0-9+.-]*:)?\/\/[^\s/:@]*:([^\s/@]+)@/i;
/** `${steps.<name>.<var>}`: what an earlier step of a multi-step http probe extracted. */
const STEP_REF = /\$\{steps\.[A-Za-z0-9][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*\}/g;
/** Query parameters named for a credential, in a URL: `?api_key=…`, `&access_token=…`. */
const URL_CREDENTIAL_PARAM = /[?&]([\w.-]+)=([^&#\s]+)/g;

/** Keys that hold nothing but a credential: a literal value there is one. */
const CREDENTIAL_KEYS = new Set(['bearer', 'password', 'pass', 'secret', 'webhook', 'clientSecret']);
/** Header names that only ever carry credentials. */
const CREDENTIAL_HEADERS = /^(?:proxy-)?authorization$/i;
/** Header and query names that usually carry one: a literal value there is worth a warning. */
const SECRETISH_NAME =
  /(?:^|[-_.])(?:api[-_]?key|apikey|key|token|access[-_]?token|secret|password|passwd|pwd|session|signature|sig|credentials?)(?:$|[-_.])|token|secret|password/i;
/** The scheme word a credential header starts with. */
const AUTH_SCHEME = /^\s*(?:Bearer|Basic|Token|Bot|Digest|ApiKey|Key|OAuth)\s+/i;

const ENV_HINT = 'write it as ${env:NAME} and set NAME in the environment';

/**
 * Flags secrets written literally in a config file, with their position and never their value. Errors for
 * what is certainly a credential (a known token format, a URL password, a literal in a field that holds
 * only credentials such as `auth.bearer`, `Authorization`, a channel's `webhook` or `smtp.pass`);
 * warnings for what the name of a header or query parameter only suggests. Text around a reference
 * counts as literal, so `${env:NOPE:-}` appended to a literal hides nothing; a reference's default is
 * checked against the known formats.
 */
export function checkLiteralSecrets(source: SourceFile, diags: Diagnostics): void {
  // a file that is not a map is reported as such, and nothing in it is read as a setting
  if (!isMap(source.doc.contents)) return;
  walk(source.doc.contents, [], (value, path) => {
    const d = literalSecret(value, path);
    if (d !== null) diags.add(source.at(path, d.message, d.severity));
  });
}

type Finding = { message: string; severity: Diagnostic['severity'] };

/** The most certain problem with one string value at `path`, or null. */
export function literalSecret(value: string, path: readonly PathSegment[]): Finding | null {
  const parts = literalParts(value);
  // a multi-step http probe's `${steps.<name>.<var>}` is a value of the run (an access token), not literal
  const outside = parts.outside.replace(STEP_REF, '\0');
  const { defaults } = parts;
  for (const text of [outside, ...defaults]) {
    const known = KNOWN_FORMATS.find((f) => f.re.test(text));
    if (known) return error(`looks like ${known.what} written literally: ${ENV_HINT}`);
    const pw = URL_PASSWORD.exec(text)?.[1];
    if (pw !== undefined && literal(pw)) return error(`a password written literally in a URL: ${ENV_HINT}`);
  }
  // a malformed reference is the env check's to report, not a literal
  if (path.includes('expect') || outside.includes('${env:')) return null;
  const key = String(path.at(-1) ?? '');
  const parent = String(path.at(-2) ?? '');
  const residue = outside.replace(AUTH_SCHEME, '');
  if (literal(residue)) {
    const authValue =
      key === 'value' && (parent === 'header' || parent === 'query') && path.at(-3) === 'auth';
    if (CREDENTIAL_KEYS.has(key) || authValue || (parent === 'headers' && CREDENTIAL_HEADERS.test(key)))
      return error(`a secret written literally (text outside \${env:…} counts): ${ENV_HINT}`);
    if ((parent === 'headers' || parent === 'query') && SECRETISH_NAME.test(key))
      return warning(`looks like a credential written literally: ${ENV_HINT}`);
  }
  for (const m of outside.matchAll(URL_CREDENTIAL_PARAM))
    if (SECRETISH_NAME.test(m[1]!) && literal(m[2]!))
      return warning(`the query parameter ${m[1]} looks like a credential written literally: ${ENV_HINT}`);
  return null;
}

/** Some literal text is left once the references (NULs in `literalParts`) are taken out. */
function literal(text: string): boolean {
  return text.replaceAll('\0', '').trim() !== '';
}

const error = (message: string): Finding => ({ message, severity: 'error' });
const warning = (message: string): Finding => ({ message, severity: 'warning' });
