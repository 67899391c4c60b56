import { create, toBuffer, toString as toSvgString } from 'qrcode';
import { Audience, Code } from '../survey/schema.js';

/**
 * Level Q restores up to 25 % of the symbol: posters get scratched, folded and photographed at an
 * angle. The quiet zone is the 4 modules the QR standard asks for; a poster's edge or picture right
 * beside the code is the most common reason a print does not scan.
 */
const ERROR_CORRECTION = 'Q';
const QUIET_ZONE = 4;

/**
 * Smallest PNG side. At 300 dpi, 1200 px print 10.2 cm wide: an A4 poster's code that scans from
 * about a metre. Modules are whole pixels (no blurred edges when printed), so the real side is the
 * first multiple of the module count at or above this.
 */
export const MIN_PNG_PX = 1200;

/** `https://host[/prefix]` without a trailing slash, query or fragment; anything else is refused. */
function origin(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`base URL must be http(s): ${baseUrl}`);
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`base URL must not carry credentials, a query or a fragment: ${baseUrl}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The public link of a channel: the survey page for an audience, with the channel as `?c=`. */
export function channelLink(baseUrl: string, surveyId: string, audience: Audience, code: string): string {
  const id = Code.parse(surveyId);
  return `${origin(baseUrl)}/s/${id}/${Audience.parse(audience)}?c=${Code.parse(code)}`;
}

/**
 * A link short enough to print under the code and type by hand; the respondent app redirects it to
 * the `public` audience's channel link (`GET /c/{surveyId}/{code}`).
 */
export function shortUrl(baseUrl: string, surveyId: string, code: string): string {
  return `${origin(baseUrl)}/c/${Code.parse(surveyId)}/${Code.parse(code)}`;
}

/**
 * What a channel's QR code holds: the short link for the public (the one printed under the code;
 * fewer modules, so it scans from further away), the full link for another audience (the short
 * link leads to the public's pages only). The admin API and the command line print the same.
 */
export function qrLink(baseUrl: string, surveyId: string, audience: Audience, code: string): string {
  return audience === 'public' ? shortUrl(baseUrl, surveyId, code) : channelLink(baseUrl, surveyId, audience, code);
}

/** The QR code as SVG: scales to any print size; the quiet zone is part of the image. */
export function qrSvg(url: string): Promise<string> {
  return toSvgString(url, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: QUIET_ZONE });
}

/** The QR code as PNG, at least `MIN_PNG_PX` wide, black on white. */
export function qrPng(url: string): Promise<Buffer> {
  const modules = create(url, { errorCorrectionLevel: ERROR_CORRECTION }).modules.size + 2 * QUIET_ZONE;
  return toBuffer(url, {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: QUIET_ZONE,
    scale: Math.ceil(MIN_PNG_PX / modules),
  });
}
