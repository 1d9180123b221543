// User mistakes on the command line: one line on stderr and exit status 2, never a stack trace.
export class UsageError extends Error {}

export const USAGE = `usage:
  qapi-qmp check [--qemu-version X.Y|auto] [--schema ROOT.json] [--introspection FILE] [--format text|json] PATH...
  qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [--format text|json]
  qapi-qmp schema --connect ADDRESS [--out FILE]
  qapi-qmp run SCRIPT.qmp --connect ADDRESS [--yes] [--force] [--format text|json]
  qapi-qmp watch --connect ADDRESS [--link BYTES_PER_S] [--interval MS] [--apply] [--format text|json] [--record FILE]
  qapi-qmp --help | --version
ADDRESS: unix:PATH | tcp:HOST:PORT | libvirt:DOMAIN[?URI]`;
