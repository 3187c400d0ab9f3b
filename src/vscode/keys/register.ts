import type { Ctx } from '../ctx';
import { importFromEnv } from './importFromEnv';

/** Starts the identity import named by the environment without delaying activation. */
export function register(ctx: Ctx): void {
  setTimeout(() => void importFromEnv(ctx), 0);
}
