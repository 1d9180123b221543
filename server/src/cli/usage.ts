// User mistakes on the command line: one line on stderr and exit status 2, never a stack trace.
export class UsageError extends Error {}

export const USAGE = `usage:
  qapi-qmp check [--qemu-version X.Y|auto] [--schema ROOT.json] [--introspection FILE] [--format text|json] PATH...
  qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [--format text|json]
  qapi-qmp --help | --version`;
