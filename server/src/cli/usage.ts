// User mistakes on the command line: one line on stderr and exit status 2, never a stack trace.
export class UsageError extends Error {}

export const USAGE = `usage:
  qapi-qmp check [--qemu-version X.Y|auto] [--schema ROOT.json] [--introspection FILE] [--format text|json|sarif] PATH...
  qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [--format text|json|sarif]
  qapi-qmp COMMAND --help | qapi-qmp --help | --version`;

/** `qapi-qmp COMMAND --help` (and `qapi-qmp help COMMAND`): one block per sub-command. */
export const COMMAND_HELP: Record<string, string> = {
  check: `usage: qapi-qmp check [options] PATH...

Checks QAPI schemas (.json) and QMP scripts (.qmp), files or folders, as the editor does.

options:
  --qemu-version X.Y|auto   QEMU rules to apply (auto: the VERSION file of the QEMU tree; default)
  --schema ROOT.json        root QAPI schema (default: found by walking up from each file)
  --introspection FILE      a saved query-qmp-schema reply QMP scripts are checked against
  --format text|json|sarif  text: path:line:column: severity: message [code] (default);
                            json: one report; sarif: SARIF 2.1.0 for code scanning
  -h, --help                this help

exit status: 0 no error, 1 errors found, 2 bad usage or unreadable file
colour: in text output when stdout is a terminal; NO_COLOR=1 turns it off`,
  converge: `usage: qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [options]

Simulates QEMU's precopy live migration for a scenario file, or for the parameters a QMP
script has set at a line, and says whether, when and why it converges (docs/converge.md).
Scenario files are checked against schemas/scenario.schema.json first.

options:
  --format text|json|sarif  text summary (default), the full result, or SARIF 2.1.0 findings
                            (no switchover; real downtime above downtime-limit; warnings)
  -h, --help                this help

exit status: 0 converges, 1 does not, 2 bad input (the message names the field)`,
};
