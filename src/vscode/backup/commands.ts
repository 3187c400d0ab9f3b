import type { CommandSpec } from '../commands/spec';
import { backupCommands } from './backupCommands';
import { browseCommands } from './browseCommands';
import { forgetCommands } from './forgetCommands';
import { repoCommands } from './repoCommands';
import { restoreCommands } from './restoreCommands';
import { verifyCommands } from './verifyCommands';

export const commands: CommandSpec[] = [...repoCommands, ...browseCommands, ...restoreCommands, ...backupCommands, ...verifyCommands, ...forgetCommands];
