import type { CommandSpec } from '../commands/spec';
import { connectionCommands } from './connectionCommands';
import { indexCommands } from './indexCommands';
import { queryCommands } from './queryCommands';
import { statsCommands } from './statsCommands';
import { treeCommands } from './treeCommands';

export const commands: CommandSpec[] = [...connectionCommands, ...treeCommands, ...statsCommands, ...indexCommands, ...queryCommands];
