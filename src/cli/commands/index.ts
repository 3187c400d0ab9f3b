import { backup } from './backup';
import { check } from './check';
import { decode } from './decode';
import { diff } from './diff';
import { encode } from './encode';
import { find } from './find';
import { forget } from './forget';
import { hash } from './hash';
import { init } from './init';
import { ls } from './ls';
import { prune } from './prune';
import { restore } from './restore';
import { snapshots } from './snapshots';
import type { CliCommand } from './types';
import { verify } from './verify';

/** Every subcommand, in the order the usage text lists them. Add new ones here. */
export const commands: CliCommand[] = [decode, encode, hash, verify, init, snapshots, ls, restore, backup, check, diff, find, forget, prune];
