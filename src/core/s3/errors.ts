import { isStorageError, StorageError, storageError } from '../errors';

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  Region?: string;
  BucketRegion?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);
const CREDENTIAL_NAMES = new Set([
  'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidToken',
  'CredentialsProviderError', 'ExpiredTokenException',
]);
const DIGEST_NAMES = new Set(['BadDigest', 'InvalidDigest', 'XAmzContentChecksumMismatch', 'XAmzContentSHA256Mismatch']);
const THROTTLE_NAMES = new Set(['SlowDown', 'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** What the operation was acting on, for the message. Never includes credentials. */
export interface S3ErrorContext {
  action: string;
  bucket?: string;
  key?: string;
  versionId?: string;
  endpoint?: string;
  /** Body bytes that had arrived (or been sent) when it failed, and the expected total. */
  transferred?: { bytes: number; total?: number };
}

/** `1.5 MiB`, `812 bytes`: sizes for messages. */
export function sizeText(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function droppedAfter(t: S3ErrorContext['transferred']): string {
  if (!t || t.bytes === 0) return '';
  return ` after ${sizeText(t.bytes)}${t.total ? ` of ${sizeText(t.total)}` : ''} had been transferred`;
}

function where(c: S3ErrorContext): string {
  if (c.bucket === undefined) return c.endpoint ? `the S3 endpoint ${c.endpoint}` : 'S3';
  const obj = c.key === undefined ? `s3://${c.bucket}` : `s3://${c.bucket}/${c.key}`;
  return c.versionId === undefined ? obj : `${obj} (version ${c.versionId})`;
}

/**
 * The one map from AWS SDK (and network) failures to StorageError. The SDK's own message is
 * not passed on: some servers echo request details there, and only our wording is vetted.
 */
export function toStorageError(e: unknown, c: S3ErrorContext): StorageError {
  if (isStorageError(e)) return e;
  const err = (typeof e === 'object' && e !== null ? e : {}) as SdkErrorShape;
  const name = err.name ?? err.Code ?? '';
  const code = err.code ?? '';
  const status = err.$metadata?.httpStatusCode;
  const at = where(c);
  const fail = (k: ConstructorParameters<typeof StorageError>[0], m: string) => storageError(k, m, { name, status });

  if (name === 'AbortError' || code === 'ABORT_ERR') return fail('Cancelled', `${c.action} ${at} was cancelled.`);
  if (DIGEST_NAMES.has(name)) {
    return fail('Integrity', `Could not ${c.action} ${at}: the server found that the bytes it received do not match the checksum sent with them (${name}), and stored nothing. Retry; if it keeps failing, something on the network path is corrupting data.`);
  }
  if (/^Checksum mismatch/.test(err.message ?? '')) {
    return fail('Integrity', `Could not ${c.action} ${at}: the bytes that arrived do not match the checksum the server keeps for them, so they were not used. Retry; if it keeps failing, the stored object or the network path is corrupting data.`);
  }
  const dropped = droppedAfter(c.transferred);
  if (dropped && (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || err.message === 'aborted' || TIMEOUT_NAMES.has(name) || TIMEOUT_NAMES.has(code))) {
    return fail('Unavailable', `Could not ${c.action} ${at}: the connection dropped${dropped} (${code || name}). Nothing partial was kept. Check the network, then retry.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || err.message === 'aborted') {
    return fail('Unavailable', `Could not ${c.action} ${at}: the connection was reset before the answer was complete (${code || 'aborted'}). Check the network or the endpoint, then retry.`);
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/.test(err.message ?? '')) {
    return fail('Unavailable', `Could not ${c.action} ${at}: the endpoint${c.endpoint ? ` ${c.endpoint}` : ''} is unreachable (${code || name}). Check that the server is running and the endpoint URL is right, then retry.`);
  }
  if (TIMEOUT_NAMES.has(name) || TIMEOUT_NAMES.has(code)) {
    return fail('Unavailable', `Could not ${c.action} ${at}: the request timed out. Check the network and the endpoint, then retry.`);
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return fail('NoPermission', `Could not ${c.action} ${at}: the server rejected the credentials (${name}). Check the credentials of this connection (access key pair or profile; an SSO session may need \`aws sso login\`).`);
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return fail('NoPermission', `Could not ${c.action} ${at}: access denied. Ask for the S3 permission this needs, or use a connection whose credentials have it.`);
  }
  if (name === 'NoSuchBucket') return fail('NotFound', `Could not ${c.action} ${at}: the bucket does not exist. Check its name, or create it.`);
  if (name === 'NoSuchVersion' || (c.versionId !== undefined && name === 'NoSuchKey')) {
    return fail('NotFound', `Could not ${c.action} ${at}: that version does not exist (it may have been deleted permanently). Refresh the view.`);
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return fail('NotFound', `Could not ${c.action} ${at}: no such object. It may have been deleted or renamed; refresh the view.`);
  }
  if (name === 'PreconditionFailed' || status === 412 || name === 'ConditionalRequestConflict') {
    return fail('Conflict', `Could not ${c.action} ${at}: someone else changed it since it was read. Compare your version with theirs, then save again or overwrite.`);
  }
  if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') {
    return fail('Exists', `Could not ${c.action} ${at}: a bucket with that name already exists. Pick another name.`);
  }
  if (name === 'BucketNotEmpty') {
    return fail('Conflict', `Could not ${c.action} ${at}: the bucket is not empty. Empty it first (all versions), or use the typed confirmation that does it.`);
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) {
    const region = err.$response?.headers?.['x-amz-bucket-region'] ?? err.BucketRegion ?? err.Region;
    const hint = region ? `Set the connection's region to ${region}.` : "Set the connection's region to the bucket's region.";
    return fail('BadInput', `Could not ${c.action} ${at}: the bucket lives in another region. ${hint}`);
  }
  if (THROTTLE_NAMES.has(name) || status === 503 || status === 429) {
    return fail('Unavailable', `Could not ${c.action} ${at}: the server is throttling requests (${name || status}). Wait a moment and retry.`);
  }
  if (name === 'EntityTooLarge') return fail('TooLarge', `Could not ${c.action} ${at}: the object is too large for one request. Use Upload, which sends large files in parts.`);
  if (name === 'InvalidBucketName' || name === 'KeyTooLongError' || name === 'InvalidArgument' || name === 'InvalidRequest') {
    return fail('BadInput', `Could not ${c.action} ${at}: the server refused the request as invalid (${name}). Check the bucket name and key.`);
  }
  if (status !== undefined && status >= 500) {
    // HEAD answers have no body, so the SDK can only call them "Unknown": say what the status means.
    return fail('Unavailable', `Could not ${c.action} ${at}: the server had an internal error (HTTP ${status}${name && name !== 'Unknown' ? ` ${name}` : ''}). Retry in a moment; if it keeps failing, the S3 service may be having trouble.`);
  }
  const label = (name === 'Unknown' ? '' : name) || code || (status ? `HTTP ${status}` : 'unknown error');
  return fail('Unavailable', `Could not ${c.action} ${at}: ${label}. Retry; if it keeps failing, check the connection settings and the log.`);
}

/** Runs one SDK call and maps its failure. */
export async function s3Call<T>(c: S3ErrorContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toStorageError(e, c);
  }
}
