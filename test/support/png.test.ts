/**
 * The PNG reader of the browser tests' rendering check: every scanline filter (None, Sub, Up,
 * Average, Paeth) and the colour types Chromium writes give back the pixels that were encoded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { decodePng, renderingStats } from './png.js';

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Encodes `rows` (bytes per row: width × channels), row y filtered with filter y % 5. */
function encode(width: number, height: number, colourType: number, channels: number, rows: number[][]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colourType;
  const filtered: number[] = [];
  rows.forEach((row, y) => {
    const filter = y % 5;
    filtered.push(filter);
    row.forEach((value, x) => {
      const left = x >= channels ? (row[x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[y - 1]?.[x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[y - 1]?.[x - channels] ?? 0) : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter] ?? 0;
      filtered.push((value - predicted) & 0xff);
    });
  });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(filtered))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng', () => {
  it('reads RGB and RGBA through every filter', () => {
    for (const [colourType, channels] of [
      [2, 3],
      [6, 4],
    ] as const) {
      const width = 4;
      const height = 10;
      const rows = Array.from({ length: height }, (_, y) =>
        Array.from({ length: width * channels }, (_, x) => (x * 37 + y * 91 + ((x * y) % 7) * 29) & 0xff),
      );
      const pixels = decodePng(encode(width, height, colourType, channels, rows));
      assert.equal(pixels.width, width);
      assert.equal(pixels.height, height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const expected = rows[y]?.slice(x * channels, x * channels + channels) ?? [];
          if (channels === 3) expected.push(255);
          const at = (y * width + x) * 4;
          assert.deepEqual(
            Array.from(pixels.rgba.slice(at, at + 4)),
            expected,
            `pixel ${x},${y} of type ${colourType}`,
          );
        }
      }
    }
  });

  it('counts one colour and no ink on a blank image, ink on a marked one', () => {
    const blank = Array.from({ length: 6 }, () => Array.from({ length: 6 * 3 }, () => 255));
    assert.deepEqual(renderingStats(encode(6, 6, 2, 3, blank)), {
      width: 6,
      height: 6,
      colours: 1,
      inked: 0,
      inkedRows: 0,
    });
    const marked = blank.map((row, y) => (y === 2 ? row.map((value, x) => (x < 3 ? 0 : value)) : row));
    const stats = renderingStats(encode(6, 6, 2, 3, marked));
    assert.equal(stats.colours, 2);
    assert.equal(stats.inked, 1 / 36);
    assert.equal(stats.inkedRows, 1 / 6);
  });

  it('refuses what is not a PNG', () => {
    assert.throws(() => decodePng(Buffer.from('GIF89a')), /not a PNG/);
  });
});
