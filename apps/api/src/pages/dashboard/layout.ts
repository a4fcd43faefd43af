import { html, type Html } from '../../html.js';

/** What every dashboard page knows about its request. */
export interface PageContext {
  /** the `?token=` the page was opened with, carried into its links, forms and event stream; null without */
  token: string | null;
  /** a message after an action, e.g. "Silence created" */
  flash: { text: string; error: boolean } | null;
  /** the caller may use the write actions */
  canWrite: boolean;
}

/** `path` with the page's token appended (links, form actions, the EventSource URL). */
export function withToken(path: string, ctx: Pick<PageContext, 'token'>): string {
  if (ctx.token === null) return path;
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(ctx.token)}`;
}

/** The page shell: stylesheet and script from this origin only (no inline script or style). */
export function layout(
  ctx: PageContext,
  o: { title: string; body: Html; scripts?: string[]; styles?: string[]; live?: boolean },
): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${o.title} · Vigil</title>
${(o.styles ?? []).map((s) => html`<link rel="stylesheet" href="${s}">`)}
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body data-events="${o.live ? withToken('/dashboard/events', ctx) : ''}">
<header class="top">
<a class="brand" href="${withToken('/dashboard', ctx)}">Vigil on-call</a>
<nav><a href="${withToken('/dashboard', ctx)}">Probes</a><a href="/">Status page</a></nav>
${o.live ? html`<span class="live" id="live" role="status" aria-live="polite">live updates: connecting</span>` : ''}
</header>
<main>
${ctx.flash ? html`<p class="flash${ctx.flash.error ? ' error' : ''}" role="status">${ctx.flash.text}</p>` : ''}
${o.body}
</main>
${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
<script src="/assets/dashboard.js" defer></script>
</body>
</html>
`;
}
