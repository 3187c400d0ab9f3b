import type { CommandSpec } from './index';

export const commands: CommandSpec[] = [];
