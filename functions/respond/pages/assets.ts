import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The one stylesheet of the public pages, served from the app itself: the Content-Security-Policy
 * allows same-origin styles only, and no inline styles. Mobile first; wider screens only get a
 * wider column. Kept in code (not a file) so the Lambda bundle carries it.
 */
const SITE_CSS = `:root {
  color-scheme: light;
  --ink: #1a1a1a;
  --muted: #4b4b4b;
  --line: #6f6f6f;
  --soft: #f2f5f8;
  --accent: #0b4f8a;
  --accent-soft: #e3edf7;
  --error: #b3261e;
  --focus: #0b4f8a;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1.0625rem;
  line-height: 1.5;
  color: var(--ink);
  background: #fff;
  /* A German compound longer than the line ("Unternehmensbefragung" in a heading at 320 px) breaks
     instead of making the page scroll sideways (WCAG 1.4.10); headings hyphenate where they can. */
  overflow-wrap: break-word;
}
a { color: var(--accent); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: -100vw; top: 0.5rem; background: #fff; padding: 0.75rem 1rem; z-index: 1; }
.skip-link:focus { left: 0.5rem; }
.site-header {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem;
  padding: 0.75rem 1rem; border-bottom: 4px solid var(--accent); background: var(--soft);
}
.site-title { margin: 0; font-weight: 600; }
.lang-link { display: inline-flex; align-items: center; min-height: 44px; padding: 0 0.25rem; }
.page { max-width: 40rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
.reference { max-width: 60rem; }
h1 { font-size: 1.625rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.3rem; line-height: 1.3; margin: 1.5rem 0 0.75rem; }
h1, h2 { hyphens: auto; }
p { margin: 0 0 1rem; }
.progress { margin: 0 0 0.25rem; color: var(--muted); }
progress { display: block; width: 100%; height: 0.5rem; margin: 0 0 1rem; accent-color: var(--accent); }
.intro { font-size: 1.125rem; }
.question { border: 0; margin: 0 0 2rem; padding: 0; min-width: 0; }
.question-label, legend { display: block; padding: 0; margin: 0 0 0.5rem; font-size: 1.125rem; font-weight: 600; }
.required-mark { font-weight: 400; color: var(--muted); }
.hint { margin: 0 0 0.75rem; color: var(--muted); }
.has-error { border-left: 5px solid var(--error); padding-left: 0.75rem; }
.error-message { margin: 0 0 0.75rem; color: var(--error); font-weight: 600; }
.choices { display: grid; gap: 0.5rem; }
.choice {
  display: flex; align-items: center; gap: 0.75rem; min-height: 48px; padding: 0.5rem 0.75rem;
  border: 1px solid var(--line); border-radius: 0.375rem; cursor: pointer;
}
.choice input, .point input { flex: none; width: 1.375rem; height: 1.375rem; margin: 0; accent-color: var(--accent); }
.choice:has(input:checked), .point:has(input:checked) { border-color: var(--accent); background: var(--accent-soft); }
.choice:has(input:focus-visible), .point:has(input:focus-visible) { outline: 3px solid var(--focus); outline-offset: 2px; }
.choice-note { color: var(--muted); }
.scale { display: grid; gap: 0.375rem; }
.scale-5 { grid-template-columns: repeat(5, 1fr); }
.scale-7 { grid-template-columns: repeat(7, 1fr); }
.scale-11 { grid-template-columns: repeat(6, 1fr); }
.point {
  display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 0.25rem;
  min-height: 3.5rem; min-width: 44px; padding: 0.375rem 0; border: 1px solid var(--line); border-radius: 0.375rem;
  cursor: pointer; font-variant-numeric: tabular-nums;
}
.scale-ends { display: flex; justify-content: space-between; gap: 1rem; margin: 0 0 0.375rem; color: var(--muted); }
.scale-ends span:last-child { text-align: right; }
.scale + .choices { margin-top: 0.5rem; }
input[type="text"], input[type="number"], textarea {
  display: block; width: 100%; min-height: 48px; padding: 0.5rem 0.625rem; font: inherit; color: var(--ink);
  border: 2px solid var(--line); border-radius: 0.25rem; background: #fff;
}
input[type="number"] { max-width: 10rem; }
textarea { min-height: 8rem; resize: vertical; }
[aria-invalid="true"] { border-color: var(--error); }
.unit { margin-left: 0.5rem; }
.number-row { display: flex; align-items: center; }
.error-summary { margin: 0 0 1.5rem; padding: 1rem; border: 4px solid var(--error); }
.error-summary h2 { margin-top: 0; font-size: 1.25rem; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: var(--error); font-weight: 600; }
.notice { margin: 0 0 1.5rem; padding: 0.75rem 1rem; border-left: 6px solid var(--accent); background: var(--soft); }
.actions { display: flex; flex-direction: column; gap: 0.75rem; margin: 2rem 0 1rem; }
button, .button {
  display: inline-flex; align-items: center; justify-content: center; min-height: 48px; padding: 0.625rem 1.25rem;
  font: inherit; font-weight: 600; text-decoration: none; border: 2px solid var(--accent); border-radius: 0.375rem;
  cursor: pointer;
}
.primary { background: var(--accent); color: #fff; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
.secondary { background: #fff; color: var(--accent); }
.link-button { min-height: 44px; padding: 0 0.25rem; border: 0; background: none; color: var(--accent); font-weight: 400; text-decoration: underline; }
.lang-form { margin: 1rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em; }
@media (min-width: 36em) {
  .page { padding-top: 2rem; }
  h1 { font-size: 2rem; }
  .scale-11 { grid-template-columns: repeat(11, 1fr); }
  .actions { flex-direction: row; }
}
@media print {
  .skip-link, .actions, .lang-form, .lang-link, progress { display: none; }
  body { font-size: 11pt; }
  .site-header { background: none; border-bottom: 1px solid #000; }
  .choice, .point { break-inside: avoid; }
}
`;

const version = createHash('sha256').update(SITE_CSS).digest('hex').slice(0, 12);

export const SITE_CSS_PATH = '/assets/site.css';
/** What pages link to: the version makes the long cache safe when the stylesheet changes. */
export const siteCssHref = `${SITE_CSS_PATH}?v=${version}`;

export function serveSiteCss(c: Context): Response {
  const cacheControl = c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
  return c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': cacheControl });
}
