// What the convergence preview needs from a document at a position.
import type { GuestWorkload, LinkModel, MigrationCapabilities, MigrationParameters } from '../../simulator/types';

export interface MigrationInputs {
  qemuVersion: string;
  /** Parameters and capabilities in force at the position (accumulated over earlier commands). */
  parameters: MigrationParameters;
  capabilities: MigrationCapabilities;
  /** Workload from the script header or a recorded query-migrate reply, where the document has one. */
  guest?: Partial<GuestWorkload>;
  link?: Partial<LinkModel>;
  /** Where each value came from (line numbers), for the preview's explanation. */
  sources: string[];
  /** The parameter under the cursor, if any (the preview highlights it). */
  focus?: string;
}
