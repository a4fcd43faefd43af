import { html, type Html } from '../../html.js';
import { statusCssHref } from './assets.js';
import { timeText } from './format.js';

/** The shell of every status page: landmarks, the stylesheet from this origin, no script. */
export function layout(o: { title: string; pageTitle: string; at: number; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.pageTitle}</title>
<link rel="stylesheet" href="${statusCssHref()}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="wrap"><p class="brand"><a href="/">${o.title}</a></p></div></header>
<main id="main" class="wrap">
${o.body}
</main>
<footer class="wrap foot"><p>Updated <time datetime="${new Date(o.at).toISOString()}">${timeText(o.at)}</time>. Days are UTC days. Monitored by Vigil.</p></footer>
</body>
</html>
`;
}
