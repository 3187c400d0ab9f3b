import { nodePrimitives } from './node';
import type { BackendName, Primitives } from './types';

export type { BackendName, Primitives, Sealed, X25519Secret } from './types';

let portable: Primitives | undefined;

/** The backend by name; the node one is the default, the portable one loads on first use. */
export function primitives(name: BackendName = 'node'): Primitives {
  if (name === 'node') return nodePrimitives;
  // Loaded lazily so the node path never pays for noble and fflate.
  portable ??= (require('./portable') as typeof import('./portable')).portablePrimitives;
  return portable;
}
