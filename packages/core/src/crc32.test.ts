import { describe, expect, it } from 'vitest';
import { crc32 } from './index.js';

describe('crc32', () => {
  it('matches zlib / binascii.crc32', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
    expect(crc32('123456789')).toBe(0xcbf43926);
  });
  it('reads a string as its UTF-8 bytes', () => {
    expect(crc32('é')).toBe(crc32(new Uint8Array([0xc3, 0xa9])));
    expect(crc32(new TextEncoder().encode('hb_0'))).toBe(crc32('hb_0'));
  });
});
