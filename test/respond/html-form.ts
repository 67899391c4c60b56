/**
 * Just enough HTML reading to act like a browser submitting the survey form: the fields a browser
 * would send (hidden ones, checked options, filled inputs and textareas), with the test's own
 * choices replacing them by name. Our pages are rendered by Hono JSX, so the markup is regular.
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) {
    if (m[1]) attrs.set(m[1], decode(m[2] ?? ''));
  }
  return attrs;
}

/** The name/value pairs a browser would submit from the page's form, as it stands. */
export function currentFields(html: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const m of html.matchAll(/<input\b([^>]*)>/g)) {
    const a = attributes(m[1] ?? '');
    const name = a.get('name');
    if (!name) continue;
    const type = a.get('type') ?? 'text';
    if ((type === 'radio' || type === 'checkbox') && !a.has('checked')) continue;
    if ((type === 'text' || type === 'number') && !a.get('value')) continue;
    fields.push([name, a.get('value') ?? '']);
  }
  for (const m of html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attributes(m[1] ?? '').get('name');
    if (name && m[2]) fields.push([name, decode(m[2])]);
  }
  return fields;
}

export type Choices = Record<string, string | string[]>;

/** The form body after the respondent's `choices` (a name given replaces what the page had). */
export function formBody(html: string, choices: Choices, action = 'next'): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of currentFields(html)) if (!(name in choices)) body.append(name, value);
  for (const [name, value] of Object.entries(choices)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  body.set('_action', action);
  return body;
}

export function formAction(html: string): string {
  const m = html.match(/<form\b[^>]*action="([^"]*)"/);
  if (!m?.[1]) throw new Error('no form on the page');
  return decode(m[1]);
}

export function hiddenValue(html: string, name: string): string | undefined {
  return currentFields(html).find(([n]) => n === name)?.[1];
}

export function heading(html: string): string {
  return decode(html.match(/<h1>([\s\S]*?)<\/h1>/)?.[1] ?? '');
}

export function formPost(body: URLSearchParams, cookie?: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: body.toString(),
  };
}

/** `name=value` of the cookies a response sets, as a Cookie header for the next request. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Anything with Hono's `request` (the respondent app). */
export interface Requester {
  request(url: string, init?: RequestInit): Response | Promise<Response>;
}

export interface Page {
  res: Response;
  html: string;
}

export async function open(app: Requester, url: string, init?: RequestInit): Promise<Page> {
  const res = await app.request(url, init);
  return { res, html: await res.text() };
}

/** Sends the page's form the way a browser would, with the respondent's choices. */
export async function send(
  app: Requester,
  page: Page,
  choices: Choices,
  action = 'next',
  cookie?: string,
): Promise<Page> {
  const res = await app.request(formAction(page.html), formPost(formBody(page.html, choices, action), cookie));
  return { res, html: await res.text() };
}

/** Page `index` of a walk (negative: from the end). */
export function pageAt(pages: Page[], index: number): Page {
  const page = pages.at(index);
  if (!page) throw new Error(`the walk has no page ${index}`);
  return page;
}

/** Opens `url` and sends one page per entry of `pages`, stopping early when a page has no form. */
export async function walk(app: Requester, url: string, pages: Choices[]): Promise<Page[]> {
  const seen = [await open(app, url)];
  for (const choices of pages) {
    const last = pageAt(seen, -1);
    if (!last.html.includes('<form')) break;
    seen.push(await send(app, last, choices));
  }
  return seen;
}
