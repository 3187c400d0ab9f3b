// The codec bundle's public surface; the area owner re-exports its core API here.
// Checksums ride in this bundle because hash-wasm must stay out of the main one.
export * from '../core/checksum';
