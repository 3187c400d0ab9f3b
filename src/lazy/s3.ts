// The s3 bundle's public surface: the AWS SDK stays out of the main bundle.
export * from '../core/s3';
