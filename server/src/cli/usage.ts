// User mistakes on the command line: one line on stderr and exit status 2, never a stack trace.
export class UsageError extends Error {}

/** The commands that talk to a running QEMU (server/src/cli/schema.ts, run.ts, watch.ts). */
const ADDRESS_HELP = `ADDRESS: unix:PATH (a QMP socket: -qmp unix:PATH,server=on,wait=off), tcp:HOST:PORT,
         libvirt:DOMAIN[?URI] (through virsh qemu-monitor-command)`;

export const USAGE = `usage:
  qapi-qmp check [--qemu-version X.Y|auto] [--schema ROOT.json] [--introspection FILE] [--format text|json|sarif] PATH...
  qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [--format text|json|sarif]
  qapi-qmp schema --connect ADDRESS [--out FILE]
  qapi-qmp run SCRIPT.qmp --connect ADDRESS [--yes] [--force] [--format text|json]
  qapi-qmp watch --connect ADDRESS [--link BYTES_PER_S] [--interval MS] [--apply] [--format text|json] [--record FILE]
  qapi-qmp watch --replay FILE [--link BYTES_PER_S] [--format text|json]
  qapi-qmp COMMAND --help | qapi-qmp --help | --version
ADDRESS: unix:PATH | tcp:HOST:PORT | libvirt:DOMAIN[?URI]`;

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
  schema: `usage: qapi-qmp schema --connect ADDRESS [--out FILE]

Prints the connected QEMU's query-qmp-schema reply plus its query-version, as JSON that
check --introspection and the qapi.introspectionFile setting read back.

${ADDRESS_HELP}

exit status: 0 written, 2 bad usage or a connection that fails`,
  run: `usage: qapi-qmp run SCRIPT.qmp --connect ADDRESS [--yes] [--force] [--format text|json]

Checks the script against the connected QEMU's own schema, then sends its commands in
order (HMP lines through human-monitor-command, qmp-shell lines as JSON) and prints the
transcript (text: ->/<- lines; json: one object per command {line, command, reply}).

options:
  --yes                 also send commands that are not query-* (default: queries only)
  --force               also send commands the checker refuses
  --format text|json    transcript format (default text)

${ADDRESS_HELP}

exit status: 0 QEMU accepted every command sent, 1 otherwise, 2 bad usage or a connection that fails`,
  watch: `usage: qapi-qmp watch --connect ADDRESS [--link BYTES_PER_S] [--interval MS] [--apply] [--format text|json] [--record FILE]

Follows the migration in progress: one line per sample (status, remaining, mbps, dirty
syncs) with the simulator's prediction from the live numbers, re-predicted at each dirty
sync. When it is stuck it says why (naming the avail-switchover-bandwidth case when QEMU
measures far less than the link) and what this QEMU can change to unblock it.

options:
  --link BYTES_PER_S    what the link really gives the migration (1.25G = 10 Gbit/s); QMP cannot measure it
  --interval MS         poll period, 100 or more (default 500)
  --apply               apply the best recommendation once (migrate-set-parameters) and keep watching
  --format text|json    one line or one JSON object per observation (default text)
  --record FILE         also save the session as a JSONL recording (bench/recordings-7.2 shape)
  --replay FILE         replay a recording through the same predictor instead of connecting

${ADDRESS_HELP}

exit status: 0 the migration completed, 1 it failed or was cancelled, 2 bad usage or a lost connection`,
};
