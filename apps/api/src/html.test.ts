import { expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

it('escapes every interpolated string, in text and in attributes', () => {
  const name = `<script>alert(1)</script>" onerror="x'`;
  expect(html`<p title="${name}">${name}</p>`.value).toBe(
    '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&quot; onerror=&quot;x&#39;">&lt;script&gt;alert(1)&lt;/script&gt;&quot; onerror=&quot;x&#39;</p>',
  );
});

it('nests html without escaping it twice, joins arrays and drops empty values', () => {
  const items = ['a&b', 'c'].map((s) => html`<li>${s}</li>`);
  expect(html`<ul>${items}${null}${undefined}${false}</ul>`.value).toBe(
    '<ul><li>a&amp;b</li><li>c</li></ul>',
  );
  expect(html`${raw('<b>')}${0}`.value).toBe('<b>0');
  expect(escapeHtml('&amp;')).toBe('&amp;amp;');
});
