import type { CommandSpec } from '../commands/spec';

export const indexCommands: CommandSpec[] = [];
