/**
 * An accessibility audit of the page a browser shows, run inside the page (no library): what the
 * console promises (docs/console.md, "Accessibility") checked on each screen the browser test
 * visits. It finds, by WCAG 2.1's success criteria:
 * - 1.3.1 / 4.1.2: a form control, button or link without an accessible name (label, aria-label,
 *   aria-labelledby, text, title), an image without alt;
 * - 1.4.3: text whose contrast with its background is under 4.5:1 (3:1 for large text; disabled
 *   controls are exempt, as WCAG says);
 * - 1.4.10: content wider than the viewport (horizontal scrolling at phone width);
 * - 2.4.2 / 3.1.1 / 2.4.6: no title, no `lang`, not exactly one h1;
 * It is a subset of what axe or Lighthouse check, small enough to read; it cannot judge whether a
 * name is meaningful, only that there is one.
 *
 * The audit is page source text (not a function passed to `evaluate`): tsx keeps function names
 * with a helper that does not exist in the page.
 */
import type { Page } from 'playwright-core';

const AUDIT = `(() => {
  const problems = [];
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().slice(0, 40);
    return el.tagName.toLowerCase() + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const nameOf = (el) => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return labelledBy.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    if (el.labels && el.labels.length > 0) return [...el.labels].map((l) => l.textContent).join(' ').trim();
    if (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type)) return el.value.trim();
    const text = (el.innerText || el.textContent || '').trim();
    if (text) return text;
    const img = el.querySelector('img[alt]');
    if (img) return img.getAttribute('alt').trim();
    return (el.getAttribute('title') || '').trim();
  };

  if (!document.documentElement.lang) problems.push('html has no lang');
  if (!document.title.trim()) problems.push('the page has no title');
  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  if (h1s.length !== 1) problems.push('the screen has ' + h1s.length + ' h1 headings, not one');

  const controls = document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], [role=button], progress');
  for (const el of controls) {
    if (!nameOf(el)) problems.push('no accessible name: ' + el.outerHTML.slice(0, 120));
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('an image without alt: ' + img.src);
  }

  // Contrast (WCAG's relative luminance); backgrounds blended over the first opaque ancestor's.
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [255, 255, 255, 1];
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!el || seen.has(el) || !text.textContent.trim() || !visible(el)) continue;
    seen.add(el);
    if (el.closest('.visually-hidden, .skip, noscript, option') || el.closest(':disabled')) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = over(rgba(style.color), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const r = ratio(fg, bg);
    if (r < (large ? 3 : 4.5)) problems.push('contrast ' + r.toFixed(2) + ':1 for ' + describe(el) + ' (' + style.color + ' on rgb(' + bg.slice(0, 3).join(', ') + '))');
  }

  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push('the page scrolls sideways: ' + root.scrollWidth + ' px in a ' + root.clientWidth + ' px viewport');
  return problems;
})()`;

/** What the audit finds on the screen the page shows now, each line prefixed with the screen's title. */
export async function auditAccessibility(page: Page): Promise<string[]> {
  const problems = (await page.evaluate(AUDIT)) as string[];
  const title = await page.title();
  return problems.map((p) => `${title}: ${p}`);
}

/** Whether the focused element draws a visible focus indicator (an outline or a box shadow): WCAG 2.4.7. */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  })()`)) as boolean;
}

/** A short description of the focused element (its role-ish tag and name), for keyboard assertions. */
export async function focused(page: Page): Promise<string> {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    const text = ['A', 'BUTTON', 'H1', 'H2'].includes(el.tagName) ? el.textContent : '';
    const label = el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute('aria-label') || text || '';
    return (el.tagName.toLowerCase() + ' ' + label.trim()).trim();
  })()`)) as string;
}
