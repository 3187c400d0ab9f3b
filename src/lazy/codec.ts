// The codec bundle's public surface, loaded on first use through src/vscode/lazy.ts.
export * from '../core/codec/pipeline';
export { identitiesFromText } from '../core/codec/age/keys';
export { decodeOffThread, decodesLong, type OffThreadOptions } from '../core/codec/worker/decodeOffThread';
export { DEFAULT_MAX_LOG_N, DEFAULT_WRITE_LOG_N } from '../core/codec/age/scrypt';
// Checksums ride in this bundle because hash-wasm must stay out of the main one.
export * from '../core/checksum';
