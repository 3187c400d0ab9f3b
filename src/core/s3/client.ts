import { S3Client } from '@aws-sdk/client-s3';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider, AwsCredentialIdentity } from '@smithy/types';
import { storageError } from '../errors';
import type { S3ConnectionOptions, S3Credentials } from './types';

const DEFAULT_REGION = 'us-east-1';

function credentialsFor(c: S3Credentials): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  switch (c.kind) {
    case 'keys':
      if (!c.accessKeyId || !c.secretAccessKey) {
        throw storageError('BadInput', 'credentials: the access key id and the secret access key are both needed. Edit the connection.');
      }
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
    case 'profile':
      // fromIni reads ~/.aws/config and credentials, SSO sessions and role chains included.
      return fromIni({ profile: c.profile });
    case 'default':
      return fromNodeProviderChain();
  }
}

/** Checks an endpoint URL; empty means AWS. */
export function checkEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw storageError('BadInput', `endpoint: "${endpoint}" is not a URL. Use a form like https://s3.example.com or http://127.0.0.1:9000.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw storageError('BadInput', `endpoint: use http:// or https://, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw storageError('BadInput', 'endpoint: do not put credentials in the URL; give them as an access key pair or a profile.');
  }
  return url.toString().replace(/\/$/, '');
}

/**
 * An S3 client that fails fast: a short connect timeout and bounded retries, so an unreachable
 * endpoint is reported in seconds rather than after the SDK's long defaults.
 */
export function createS3Client(opts: S3ConnectionOptions): S3Client {
  const endpoint = checkEndpoint(opts.endpoint);
  return new S3Client({
    region: opts.region?.trim() || DEFAULT_REGION,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? endpoint !== undefined,
    credentials: credentialsFor(opts.credentials),
    maxAttempts: opts.maxAttempts ?? 3,
    // Only when the server asks: S3-compatible stores often reject the newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    followRegionRedirects: false,
    requestHandler: {
      connectionTimeout: opts.connectTimeoutMs ?? 3000,
      requestTimeout: opts.requestTimeoutMs ?? 30000,
      // Without this a stalled server only logs a warning and the request hangs.
      throwOnRequestTimeout: true,
    },
  });
}

/** The endpoint a client talks to, for messages (never includes credentials). */
export function endpointLabel(opts: Pick<S3ConnectionOptions, 'endpoint' | 'region'>): string {
  return checkEndpoint(opts.endpoint) ?? `AWS (${opts.region?.trim() || DEFAULT_REGION})`;
}
