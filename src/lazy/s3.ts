// The s3 bundle's public surface; the area owner re-exports its core API here.
export {};
