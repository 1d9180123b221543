// The migration domain: QEMU's migration facts, its rules per release, the inputs of
// a migration and the version parser. It imports nothing else from the project; the
// QMP checker, the simulator and the live features read it.
export * from './facts';
export * from './inputs';
export * from './judge';
export * from './rules';
export * from './version';
export * from './behaviour';
