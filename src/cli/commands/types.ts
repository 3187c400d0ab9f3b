/** One subcommand of the `storage-inspector` CLI. */
export interface CliCommand {
  name: string;
  /** One line for the usage text. */
  summary: string;
  /** Returns the exit code; throws a StorageError for failures the user can act on. */
  run(args: string[]): Promise<number>;
}

/** A wrong invocation: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
