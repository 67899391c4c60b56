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
