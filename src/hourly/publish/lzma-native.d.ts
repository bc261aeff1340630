// The part of lzma-native (no bundled types) that the hourly pipeline uses.
declare module 'lzma-native' {
  import type { Transform } from 'node:stream';

  interface CompressorOptions {
    /** 0-9. */
    preset?: number;
    /** Set (>= 1) for liblzma's multi-threaded encoder; 0 = one per core. */
    threads?: number;
    /** Block size of the multi-threaded encoder, in bytes. */
    blockSize?: number;
    check?: number;
  }

  interface LzmaNative {
    CHECK_CRC64: number;
    createCompressor(options?: CompressorOptions): Transform;
    createDecompressor(options?: Record<string, unknown>): Transform;
  }

  const lzma: LzmaNative;
  export default lzma;
}
