// What an S3 repository needs beside the core (the AWS SDK), in one module that location.ts
// requires only for an S3 repository. The build puts it in a file of its own (dist/backup-s3.js),
// so a command on a local repository does not even compile the SDK's code.
export { createS3Client } from '../s3/client';
export { S3Backend } from './s3Backend';
