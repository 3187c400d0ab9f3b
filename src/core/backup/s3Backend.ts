import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { storageError } from '../errors';
import { listAll } from '../s3/list';
import { s3Call } from '../s3/errors';
import { relativePath, type Backend, type FileInfo, type FileType } from './backend';

/** A repository under an S3 prefix, in restic's default layout (`s3:endpoint/bucket/prefix`). */
export class S3Backend implements Backend {
  readonly label: string;
  private readonly prefix: string;
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    prefix: string,
  ) {
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
    this.label = `s3://${bucket}/${this.prefix}`;
  }

  private key(type: FileType, name: string): string {
    const rel = relativePath(type, name);
    return this.prefix ? `${this.prefix}/${rel}` : rel;
  }

  async list(type: FileType): Promise<FileInfo[]> {
    const base = this.prefix ? `${this.prefix}/${type === 'config' ? 'config' : type + '/'}` : type === 'config' ? 'config' : `${type}/`;
    const out: FileInfo[] = [];
    for await (const page of listAll(this.client, { bucket: this.bucket, prefix: base, delimiter: '' })) {
      for (const o of page.objects) {
        const name = o.key.slice(o.key.lastIndexOf('/') + 1);
        if (type === 'config' ? o.key === base : /^[0-9a-f]{64}$/.test(name)) out.push({ name, size: o.size });
      }
    }
    return out;
  }

  async read(type: FileType, name: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const key = this.key(type, name);
    let header: string | undefined;
    if (range) header = range.offset < 0 ? `bytes=${range.offset}` : `bytes=${range.offset}-${range.offset + range.length - 1}`;
    if (range && range.length === 0) return new Uint8Array(0);
    const out = await s3Call({ action: 'read', bucket: this.bucket, key }, async () => {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: header }));
      return r.Body ? await r.Body.transformToByteArray() : new Uint8Array(0);
    });
    if (range && out.length !== range.length) throw storageError('Integrity', `s3://${this.bucket}/${key}: is too short for the ${range.length} bytes at ${range.offset} the index names. The object was truncated.`);
    return out;
  }

  async size(type: FileType, name: string): Promise<number> {
    const key = this.key(type, name);
    const h = await s3Call({ action: 'head', bucket: this.bucket, key }, () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
    return h.ContentLength ?? 0;
  }

  async exists(type: FileType, name: string): Promise<boolean> {
    try {
      await this.size(type, name);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'NotFound') return false;
      throw e;
    }
  }

  async write(type: FileType, name: string, parts: Uint8Array | readonly Uint8Array[]): Promise<void> {
    const key = this.key(type, name);
    const data = parts instanceof Uint8Array ? parts : Buffer.concat(parts);
    // Content-addressed names: an object that is already there holds these very bytes.
    if (await this.exists(type, name)) throw storageError('Exists', `s3://${this.bucket}/${key} already exists; restic files are written once.`);
    await s3Call({ action: 'write', bucket: this.bucket, key }, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentLength: data.length })),
    );
  }

  async remove(type: FileType, name: string): Promise<void> {
    const key = this.key(type, name);
    await s3Call({ action: 'delete', bucket: this.bucket, key }, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }
}
