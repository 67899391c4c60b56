import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { channelLink, MIN_PNG_PX, qrPng, qrSvg, shortUrl } from '../../shared/channels/qr.js';

// jsqr is CommonJS typed as an ES module: under NodeNext its default import is the module object,
// whose `default` is the reader (set by its bundle for exactly this interop).
const jsQR = jsqr.default;

const url = channelLink('https://umfrage.example.de/', 'handwerk-recklinghausen', 'public', 'plakat-marl');

/** A black-or-white bit matrix (true = dark), as a reader sees the image. */
type Matrix = boolean[][];

/**
 * Reads the dark modules `qrcode` draws in its SVG: one stroked path of horizontal runs
 * (`M x y.5` absolute move, `m dx dy` relative move, `h n` run of n dark modules).
 */
function svgModules(svg: string): { size: number; matrix: Matrix } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) throw new Error('unexpected SVG');
  const matrix: Matrix = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, op, args] of d.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const n = (args ?? '')
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (op === 'M') [x, y] = [n[0] ?? 0, n[1] ?? 0];
    else if (op === 'm') [x, y] = [x + (n[0] ?? 0), y + (n[1] ?? 0)];
    else if (op === 'h') {
      const row = matrix[Math.floor(y)];
      for (let i = 0; i < (n[0] ?? 0); i++) if (row) row[x + i] = true;
      x += n[0] ?? 0;
    } else throw new Error(`unexpected path command ${op}`);
  }
  return { size, matrix };
}

/** Rasterises a module matrix to RGBA at `scale` pixels per module. */
function rasterise(matrix: Matrix, scale: number): { data: Uint8ClampedArray; side: number } {
  const side = matrix.length * scale;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const v = matrix[Math.floor(py / scale)]?.[Math.floor(px / scale)] ? 0 : 255;
      data.set([v, v, v, 255], (py * side + px) * 4);
    }
  }
  return { data, side };
}

/** Bounding box of the dark pixels of an RGBA image. */
function darkBox(data: Uint8Array | Uint8ClampedArray, width: number, height: number) {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[(y * width + x) * 4] ?? 255) < 128) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { left, top, right, bottom };
}

describe('qr', () => {
  it('builds the channel link for an audience', () => {
    expect(url).toBe('https://umfrage.example.de/s/handwerk-recklinghausen/public?c=plakat-marl');
    expect(channelLink('http://127.0.0.1:3000', 'mini', 'business', 'mail-1')).toBe(
      'http://127.0.0.1:3000/s/mini/business?c=mail-1',
    );
  });

  it('builds a short printable URL', () => {
    expect(shortUrl('https://umfrage.example.de', 'handwerk-recklinghausen', 'plakat-marl')).toBe(
      'https://umfrage.example.de/c/handwerk-recklinghausen/plakat-marl',
    );
  });

  it.each([
    ['a code that is not a code', () => channelLink('https://x.de', 'mini', 'public', 'a&b=c')],
    ['a survey id with a slash', () => channelLink('https://x.de', '../admin', 'public', 'p')],
    ['an unknown audience', () => channelLink('https://x.de', 'mini', 'admin' as never, 'p')],
    ['a base URL with a query', () => channelLink('https://x.de/?a=1', 'mini', 'public', 'p')],
    ['a base URL that is not http(s)', () => shortUrl('javascript:alert(1)', 'mini', 'p')],
  ])('refuses %s', (_name, build) => {
    expect(build).toThrow();
  });

  it('renders a PNG that decodes to the exact channel URL', async () => {
    // Act
    const png = PNG.sync.read(await qrPng(url));
    // Assess
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(url);
  });

  it('renders a PNG wide enough for an A4 poster with a quiet zone of 4 modules', async () => {
    // Prepare
    const { size } = svgModules(await qrSvg(url));
    // Act
    const png = PNG.sync.read(await qrPng(url));
    // Assess
    expect(png.width).toBe(png.height);
    expect(png.width).toBeGreaterThanOrEqual(MIN_PNG_PX);
    expect(png.width % size).toBe(0);
    const module = png.width / size;
    const box = darkBox(png.data, png.width, png.height);
    expect(box.left).toBe(4 * module);
    expect(box.top).toBe(4 * module);
    expect(png.width - 1 - box.right).toBe(4 * module);
    expect(png.height - 1 - box.bottom).toBe(4 * module);
  });

  it('renders an SVG that decodes to the exact channel URL and keeps a quiet zone of 4 modules', async () => {
    // Act
    const { size, matrix } = svgModules(await qrSvg(url));
    // Assess
    const { data, side } = rasterise(matrix, 8);
    expect(jsQR(data, side, side)?.data).toBe(url);
    const box = darkBox(data, side, side);
    expect([box.left, box.top, side - 1 - box.right, side - 1 - box.bottom]).toEqual([32, 32, 32, 32]);
    expect(size).toBe(matrix.length);
  });

  it('uses error correction level Q', async () => {
    // jsQR does not report the level: compare the drawn modules with the symbol at each level.
    const { matrix } = svgModules(await qrSvg(url));
    const drawn = matrix.slice(4, -4).map((row) => row.slice(4, -4));
    const symbolAt = (level: 'L' | 'M' | 'Q' | 'H') => {
      const { modules } = create(url, { errorCorrectionLevel: level });
      return Array.from({ length: modules.size }, (_, r) =>
        Array.from({ length: modules.size }, (_, c) => Boolean(modules.get(r, c))),
      );
    };
    expect(drawn).toEqual(symbolAt('Q'));
    for (const level of ['L', 'M', 'H'] as const) expect(drawn).not.toEqual(symbolAt(level));
  });
});
