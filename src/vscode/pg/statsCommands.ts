import type { CommandSpec } from '../commands/spec';

export const statsCommands: CommandSpec[] = [];
