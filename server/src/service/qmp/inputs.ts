// What the convergence preview needs from a document at a position: the migration domain's type.
export type { MigrationInputs } from '../../migration/inputs';
