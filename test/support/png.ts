/**
 * Reads the pixels of a PNG screenshot (8-bit grey, grey+alpha, RGB or RGBA, not interlaced: what
 * Chromium writes) with node's zlib, to check that a page rendered something: no image library.
 */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row after row. */
  rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colourType = data[9] ?? -1;
      if (depth !== 8 || CHANNELS[colourType] === undefined || data[12] !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${data[12]}`);
      }
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  const channels = CHANNELS[colourType] ?? 0;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (rows[out + x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[out - stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[out - stride + x - channels] ?? 0) : 0;
      const value = line[x] ?? 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`PNG row ${y}: unknown filter ${filter}`);
      rows[out + x] = (value + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    const source = pixel * channels;
    const grey = channels <= 2;
    const r = rows[source] ?? 0;
    rgba[pixel * 4] = r;
    rgba[pixel * 4 + 1] = grey ? r : (rows[source + 1] ?? 0);
    rgba[pixel * 4 + 2] = grey ? r : (rows[source + 2] ?? 0);
    rgba[pixel * 4 + 3] = channels === 4 ? (rows[source + 3] ?? 0) : channels === 2 ? (rows[source + 1] ?? 0) : 255;
  }
  return { width, height, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export interface RenderingStats {
  width: number;
  height: number;
  /** Distinct RGBA colours. */
  colours: number;
  /** Share of the pixels that differ from the most common colour (the background). */
  inked: number;
  /** Share of the rows that have at least one such pixel. */
  inkedRows: number;
}

/** How much a screenshot shows: a blank page has one colour and no ink. */
export function renderingStats(png: Buffer): RenderingStats {
  const { width, height, rgba } = decodePng(png);
  const view = new DataView(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const counts = new Map<number, number>();
  for (let at = 0; at < rgba.length; at += 4) {
    const colour = view.getUint32(at);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  let background = 0;
  let most = -1;
  for (const [colour, count] of counts) {
    if (count > most) [background, most] = [colour, count];
  }
  let inkedRows = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (view.getUint32((y * width + x) * 4) !== background) {
        inkedRows++;
        break;
      }
    }
  }
  const total = width * height;
  return { width, height, colours: counts.size, inked: (total - most) / total, inkedRows: inkedRows / height };
}
