import { bucketCommands } from '../s3/bucketCommands';
import { bulkCommands } from '../s3/bulkCommands';
import { connectionCommands } from '../s3/connectionCommands';
import { objectCommands } from '../s3/objectCommands';
import { versionCommands } from '../s3/versionCommands';
import { viewCommands } from '../s3/viewCommands';
import type { CommandSpec } from '../commands/spec';
import { withTargets } from './targets';

export const commands: CommandSpec[] = withTargets([...connectionCommands, ...viewCommands, ...bucketCommands, ...objectCommands, ...versionCommands, ...bulkCommands]);
