// What a migration is made of, as the checker, the simulator and the live features
// exchange it: QEMU's parameters and capabilities by their QMP names, the guest's
// workload and the link. Field names are the documented JSON format.

/** Migration parameters by their QMP names (`downtime-limit`, `avail-switchover-bandwidth`, ...). */
export type MigrationParameters = Record<string, number | string | boolean | null>;
/** Capabilities by their QMP names (`auto-converge`, `multifd`, `xbzrle`, `postcopy-ram`, ...). */
export type MigrationCapabilities = Record<string, boolean>;

export interface GuestWorkload {
  ramBytes: number;
  /** The hot set the guest keeps rewriting. */
  workingSetBytes: number;
  /** Unique bytes the guest dirties per second inside the working set. */
  dirtyBytesPerSecond: number;
  zeroPageFraction: number;
  vcpus: number;
  /** Optional: where the zero pages sit in guest RAM: after all data ('end', the default, as in a freshly booted guest) or spread evenly. */
  zeroPagesAt?: 'spread' | 'end';
}

export interface LinkModel {
  bytesPerSecond: number;
  /** Fraction of wall time the migration thread really sends (the seed patch's "busy thread"); 1 = always. */
  sendingEfficiency: number;
}

/** What the convergence preview needs from a document at a position. */
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
