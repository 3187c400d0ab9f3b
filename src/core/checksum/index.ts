// The checksum API, re-exported by the lazy codec bundle (hash-wasm must stay out of the main bundle).
export * from './algorithms';
export * from './hashFile';
export * from './manifest';
export * from './manifestFormat';
export * from './walk';
