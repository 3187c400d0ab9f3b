// The sql bundle's public surface; the area owner re-exports its core API here.
export {};
