import { decode } from './decode';
import { encode } from './encode';
import type { CliCommand } from './types';

/** Every subcommand, in the order the usage text lists them. Add new ones here. */
export const commands: CliCommand[] = [decode, encode];
