// QMP commands with what QEMU 7.2 (x86_64, `-M none -S`, plain command mode) answers to
// each, in the order they must be sent: some commands change QEMU's state (parameters,
// capabilities, a started migration) and later expectations depend on it, so every
// group that changes state sets it back before the next group.
//
// `send` is the exact text of one message on one line (malformed on purpose in places).
// `qemu` is QEMU's verdict; `desc` a fragment of its error text, which shows the command
// is rejected for the reason the note gives and not another. `ours: 'warning'` marks a
// command QEMU accepts while our checker should warn (QEMU 7.2 is wrong or surprising).
// `@DIR@` is replaced by a temporary directory the test owns; `settle` makes the test
// wait until a started migration has ended before the next command.
// Every command is safe in a machine-less, stopped QEMU: nothing opens host files or
// devices; the only migration goes to a socket path inside the test's own directory.

export type QemuVerdict = 'ok' | 'GenericError' | 'CommandNotFound';

export interface CorpusEntry {
  send: string;
  qemu: QemuVerdict;
  desc?: string;
  ours?: 'warning';
  settle?: true;
  note: string;
}

const ok = (send: string, note: string, extra: Partial<CorpusEntry> = {}): CorpusEntry => ({ send, qemu: 'ok', note, ...extra });
const err = (send: string, desc: string, note: string): CorpusEntry => ({ send, qemu: 'GenericError', desc, note });
const notFound = (send: string, desc: string, note: string): CorpusEntry => ({ send, qemu: 'CommandNotFound', desc, note });

/** migrate-set-parameters with `body` as the text inside its arguments object. */
const params = (body: string) => `{"execute": "migrate-set-parameters", "arguments": {${body}}}`;
/** migrate-set-capabilities with `list` as the text of its capabilities array. */
const caps = (list: string) => `{"execute": "migrate-set-capabilities", "arguments": {"capabilities": [${list}]}}`;
const cap = (name: string, state: boolean) => `{"capability": "${name}", "state": ${state}}`;

const unexpectedParam = (name: string) => `Parameter '${name}' is unexpected`;
/** The input visitor's text for a JSON value of the wrong kind. */
const invalidType = (name: string) => `Invalid parameter type for '${name}'`;
/** The input visitor's text for integers (and sizes) that are not a fitting whole number. */
const expects = (name: string, type: 'uint8_t' | 'uint32_t' | 'uint64') => `Parameter '${name}' expects ${type}`;
/** migrate_params_check's text; it names parameters with underscores. */
const range = (name: string) => `Parameter '${name.replace(/-/g, '_')}' expects`;

/** Every capability QEMU 7.2 knows, in the schema's order. */
export const CAPABILITIES_7_2 = [
  'xbzrle',
  'rdma-pin-all',
  'auto-converge',
  'zero-blocks',
  'compress',
  'events',
  'postcopy-ram',
  'x-colo',
  'release-ram',
  'block',
  'return-path',
  'pause-before-switchover',
  'multifd',
  'dirty-bitmaps',
  'postcopy-blocktime',
  'late-block-activate',
  'x-ignore-shared',
  'validate-uuid',
  'background-snapshot',
  'zero-copy-send',
  'postcopy-preempt',
];

/** Capabilities 7.2 refuses to enable on their own (they need another one, or host support). */
const REFUSED_ALONE: Record<string, { desc: string; why: string }> = {
  'postcopy-preempt': { desc: 'Postcopy preempt requires postcopy-ram', why: 'needs postcopy-ram' },
  'zero-copy-send': { desc: 'Zero copy only available for non-compressed non-TLS multifd migration', why: 'needs multifd' },
};

function everyCapability(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const name of CAPABILITIES_7_2) {
    const refused = REFUSED_ALONE[name];
    if (refused) {
      out.push(err(caps(cap(name, true)), refused.desc, `${name} alone is refused: ${refused.why}`));
    } else {
      out.push(ok(caps(cap(name, true)), `${name} can be enabled on its own`));
      out.push(ok(caps(cap(name, false)), `${name} back off`));
    }
  }
  return out;
}

export const CORPUS_7_2: CorpusEntry[] = [
  // --- negotiation: the session starts in capabilities-negotiation mode
  ok('{"execute": "qmp_capabilities"}', 'negotiation without OOB: leaves negotiation mode'),

  // --- the message must be an object
  err('42', 'QMP input must be a JSON object', 'a number is not a message'),
  err('"query-status"', 'QMP input must be a JSON object', 'a bare string is not a message'),
  err('[{"execute": "query-status"}]', 'QMP input must be a JSON object', 'an array of messages is not a message'),
  err('null', 'QMP input must be a JSON object', 'null is not a message'),
  err('true', 'QMP input must be a JSON object', 'a boolean is not a message'),

  // --- `execute` must be there and be a string
  err('{}', "QMP input lacks member 'execute'", 'empty object'),
  err('{"arguments": {}}', "QMP input lacks member 'execute'", 'arguments without execute'),
  err('{"id": 1}', "QMP input lacks member 'execute'", 'only an id'),
  err('{"execute": 1}', "QMP input member 'execute' must be a string", 'execute is a number'),
  err('{"execute": null}', "QMP input member 'execute' must be a string", 'execute is null'),
  err('{"execute": true}', "QMP input member 'execute' must be a string", 'execute is a boolean'),
  err('{"execute": ["query-status"]}', "QMP input member 'execute' must be a string", 'execute is an array'),
  err('{"execute": {"name": "query-status"}}', "QMP input member 'execute' must be a string", 'execute is an object'),

  // --- `arguments` must be an object
  err('{"execute": "query-status", "arguments": []}', "QMP input member 'arguments' must be an object", 'arguments is an array'),
  err('{"execute": "query-status", "arguments": "x"}', "QMP input member 'arguments' must be an object", 'arguments is a string'),
  err('{"execute": "query-status", "arguments": null}', "QMP input member 'arguments' must be an object", 'arguments is null'),
  err('{"execute": "query-status", "arguments": 1}', "QMP input member 'arguments' must be an object", 'arguments is a number'),
  err(
    '{"execute": "no-such-command", "arguments": []}',
    "QMP input member 'arguments' must be an object",
    'the message shape is checked before the command is looked up',
  ),

  // --- no other top-level members; exec-oob only after OOB was negotiated
  err('{"execute": "query-status", "foo": 1}', "QMP input member 'foo' is unexpected", 'unknown top-level member'),
  err('{"execute": "query-status", "control": {}}', "QMP input member 'control' is unexpected", 'control is not a message member'),
  err('{"execute": "no-such-command", "foo": 1}', "QMP input member 'foo' is unexpected", 'unexpected member is reported before the unknown command'),
  err('{"exec-oob": "migrate-pause"}', "QMP input member 'exec-oob' is unexpected", 'exec-oob without OOB negotiated, on an OOB-capable command'),
  err('{"exec-oob": "query-status"}', "QMP input member 'exec-oob' is unexpected", 'exec-oob without OOB negotiated'),
  err('{"execute": "query-status", "exec-oob": "query-status"}', "QMP input member 'exec-oob' is unexpected", 'both execute and exec-oob'),

  // --- duplicate keys are a JSON parse error
  err('{"execute": "query-status", "execute": "query-name"}', 'duplicate key', 'duplicate execute'),
  err(params('"downtime-limit": 300, "downtime-limit": 400'), 'duplicate key', 'duplicate key inside arguments'),
  err(caps('{"capability": "xbzrle", "capability": "events", "state": true}'), 'duplicate key', 'duplicate key in a nested object'),

  // --- well-formed messages
  ok('{"execute": "query-status"}', 'plain command'),
  ok('{"execute": "query-status", "arguments": {}}', 'empty arguments object'),
  ok('{"execute": "query-status", "id": 1}', 'numeric id'),
  ok('{"execute": "query-status", "id": "abc"}', 'string id'),
  ok('{"execute": "query-name", "id": {"seq": [1, 2]}}', 'id may be any JSON value'),
  ok("{'execute': 'query-status'}", 'QEMU accepts single-quoted strings'),
  ok("{'execute': 'query-name', 'arguments': {}}", 'single quotes throughout'),
  ok('{"execute": "query-version"}', 'query-version'),
  ok('{"execute": "query-commands"}', 'query-commands'),
  ok('{"execute": "query-target"}', 'query-target'),
  ok('{"execute": "query-uuid"}', 'query-uuid'),
  ok('{"execute": "query-kvm"}', 'query-kvm'),
  ok('{"execute": "query-machines"}', 'query-machines'),
  ok('{"execute": "query-cpus-fast"}', 'query-cpus-fast: no CPUs without a machine'),
  ok('{"execute": "query-iothreads"}', 'query-iothreads'),
  ok('{"execute": "query-block"}', 'query-block: no drives'),
  ok('{"execute": "query-migrate"}', 'query-migrate before any migration'),
  ok('{"execute": "query-migrate-capabilities"}', 'query-migrate-capabilities'),
  ok('{"execute": "query-migrate-parameters"}', 'query-migrate-parameters'),
  ok('{"execute": "query-dirty-rate"}', 'query-dirty-rate'),
  ok('{"execute": "query-command-line-options"}', 'optional argument left out'),
  ok('{"execute": "qom-list", "arguments": {"path": "/machine"}}', 'required argument given'),
  ok('{"execute": "qom-get", "arguments": {"path": "/machine", "property": "type"}}', 'two required arguments'),
  ok('{"execute": "stop"}', 'stop a stopped VM: no change'),
  ok('{"execute": "migrate_cancel"}', 'cancel with no migration: nothing to do'),

  // --- unknown commands: the only rejection with class CommandNotFound
  notFound('{"execute": "no-such-command"}', 'The command no-such-command has not been found', 'unknown command'),
  notFound('{"execute": "no-such-command", "arguments": {"x": 1}}', 'has not been found', 'arguments of an unknown command are not looked at'),
  notFound('{"execute": "migrate_set_parameters"}', 'has not been found', 'HMP spelling is not a QMP command'),
  notFound('{"execute": "migrate-set-parameter", "arguments": {"downtime-limit": 300}}', 'has not been found', 'singular of migrate-set-parameters'),
  notFound('{"execute": "Query-Status"}', 'has not been found', 'command names are case-sensitive'),
  notFound('{"execute": ""}', 'has not been found', 'empty command name'),
  notFound('{"execute": "info migrate"}', 'has not been found', 'HMP command line in execute'),
  notFound('{"execute": "query-events"}', 'has not been found', 'removed long before 7.2'),
  notFound('{"execute": "query-migrationthreads"}', 'has not been found', 'added after 7.2'),
  notFound('{"execute": "qmp_capabilities"}', 'Capabilities negotiation is already complete', 'a second qmp_capabilities is refused once in command mode'),

  // --- arguments of commands without parameters, missing and mistyped arguments
  err('{"execute": "query-status", "arguments": {"foo": 1}}', unexpectedParam('foo'), 'query-status takes no arguments'),
  err('{"execute": "query-migrate", "arguments": {"detail": true}}', unexpectedParam('detail'), 'query-migrate takes no arguments'),
  err('{"execute": "qom-list"}', "Parameter 'path' is missing", 'required argument missing, no arguments object'),
  err('{"execute": "qom-list", "arguments": {}}', "Parameter 'path' is missing", 'required argument missing, empty arguments'),
  err('{"execute": "qom-list", "arguments": {"path": 1}}', invalidType('path'), 'number for a string'),
  err('{"execute": "qom-list", "arguments": {"path": null}}', invalidType('path'), 'null for a string that is not StrOrNull'),
  err('{"execute": "qom-get", "arguments": {"path": "/machine"}}', "Parameter 'property' is missing", 'second required argument missing'),
  err('{"execute": "query-command-line-options", "arguments": {"option": ["m"]}}', invalidType('option'), 'array for a string'),
  err('{"execute": "calc-dirty-rate", "arguments": {"calc-time": "1"}}', invalidType('calc-time'), 'string for an int64'),
  err('{"execute": "calc-dirty-rate", "arguments": {"calc-time": 1.5}}', invalidType('calc-time'), 'float for an int64'),
  err('{"execute": "calc-dirty-rate", "arguments": {"calc-time": 1, "mode": "no-such"}}', "does not accept value 'no-such'", 'unknown enum value'),
  err('{"execute": "migrate"}', "Parameter 'uri' is missing", 'migrate needs a uri'),
  err('{"execute": "migrate", "arguments": {"uri": 1}}', invalidType('uri'), 'number for the uri'),
  err(
    '{"execute": "migrate", "arguments": {"uri": "unix:@DIR@/never.sock", "detach": "yes"}}',
    invalidType('detach'),
    'string for a bool: rejected before anything starts',
  ),
  err(
    '{"execute": "migrate", "arguments": {"uri": "unix:@DIR@/never.sock", "foo": 1}}',
    unexpectedParam('foo'),
    'unknown argument: rejected before anything starts',
  ),
  err('{"execute": "migrate-incoming"}', "Parameter 'uri' is missing", 'migrate-incoming needs a uri'),
  err('{"execute": "migrate-continue", "arguments": {"state": "no-such"}}', "does not accept value 'no-such'", 'unknown MigrationStatus'),
  err('{"execute": "migrate-continue", "arguments": {"state": 1}}', invalidType('state'), 'number for an enum'),

  // --- migrate-set-parameters: unknown names
  ok('{"execute": "migrate-set-parameters"}', 'every member is optional: no arguments at all'),
  ok(params(''), 'every member is optional: empty arguments'),
  err(params('"avail-switchover-bandwidth": 1000'), unexpectedParam('avail-switchover-bandwidth'), 'added in 8.2, unknown to 7.2'),
  err(params('"downtime_limit": 300'), unexpectedParam('downtime_limit'), 'underscore spelling (HMP style)'),
  err(params('"vcpu-dirty-limit": 1'), unexpectedParam('vcpu-dirty-limit'), 'added in 8.1'),
  err(params('"x-vcpu-dirty-limit-period": 500'), unexpectedParam('x-vcpu-dirty-limit-period'), 'added in 8.1'),
  err(params('"mode": "normal"'), unexpectedParam('mode'), 'added in 8.2'),
  err(params('"zero-page-detection": "none"'), unexpectedParam('zero-page-detection'), 'added in 9.0'),
  err(params('"downtime-limit": 300, "no-such": 1'), unexpectedParam('no-such'), 'one bad member fails the whole command'),

  // --- announce-*: sizes with ranges
  ok(params('"announce-initial": 0'), 'announce-initial lower bound'),
  ok(params('"announce-initial": 100000'), 'announce-initial upper bound'),
  err(params('"announce-initial": 100001'), range('announce-initial'), 'announce-initial above 100000'),
  err(params('"announce-initial": -1'), range('announce-initial'), 'negative size wraps to 2^64-1, then fails the range'),
  ok(params('"announce-initial": 50'), 'announce-initial back to its default'),
  ok(params('"announce-max": 0'), 'announce-max lower bound'),
  ok(params('"announce-max": 100000'), 'announce-max upper bound'),
  err(params('"announce-max": 100001'), range('announce-max'), 'announce-max above 100000'),
  ok(params('"announce-max": 550'), 'announce-max back to its default'),
  ok(params('"announce-rounds": 0'), 'announce-rounds lower bound'),
  ok(params('"announce-rounds": 1000'), 'announce-rounds upper bound'),
  err(params('"announce-rounds": 1001'), range('announce-rounds'), 'announce-rounds above 1000'),
  err(params('"announce-rounds": -1'), range('announce-rounds'), 'negative wraps, then fails the range'),
  ok(params('"announce-rounds": 5'), 'announce-rounds back to its default'),
  ok(params('"announce-step": 1'), 'announce-step lower bound'),
  ok(params('"announce-step": 10000'), 'announce-step upper bound'),
  err(params('"announce-step": 0'), range('announce-step'), 'announce-step below 1'),
  err(params('"announce-step": 10001'), range('announce-step'), 'announce-step above 10000'),
  ok(params('"announce-step": 100'), 'announce-step back to its default'),

  // --- compression parameters (uint8 with ranges)
  ok(params('"compress-level": 0'), 'compress-level lower bound'),
  ok(params('"compress-level": 9'), 'compress-level upper bound'),
  err(params('"compress-level": 10'), range('compress-level'), 'compress-level above 9'),
  err(params('"compress-level": 256'), expects('compress-level', 'uint8_t'), 'does not fit uint8'),
  err(params('"compress-level": -1'), expects('compress-level', 'uint8_t'), 'negative wraps to 2^64-1: does not fit uint8'),
  ok(params('"compress-level": 1'), 'compress-level back to its default'),
  ok(params('"compress-threads": 1'), 'compress-threads lower bound'),
  ok(params('"compress-threads": 255'), 'compress-threads upper bound'),
  err(params('"compress-threads": 0'), range('compress-threads'), 'compress-threads below 1'),
  err(params('"compress-threads": 256'), expects('compress-threads', 'uint8_t'), 'does not fit uint8'),
  ok(params('"compress-threads": 8'), 'compress-threads back to its default'),
  ok(params('"decompress-threads": 1'), 'decompress-threads lower bound'),
  ok(params('"decompress-threads": 255'), 'decompress-threads upper bound'),
  err(params('"decompress-threads": 0'), range('decompress-threads'), 'decompress-threads below 1'),
  err(params('"decompress-threads": 256'), expects('decompress-threads', 'uint8_t'), 'does not fit uint8'),
  ok(params('"decompress-threads": 2'), 'decompress-threads back to its default'),
  ok(params('"compress-wait-thread": false'), 'bool false'),
  ok(params('"compress-wait-thread": true'), 'bool true (default)'),
  err(params('"compress-wait-thread": "true"'), invalidType('compress-wait-thread'), 'string for a bool'),
  err(params('"compress-wait-thread": 1'), invalidType('compress-wait-thread'), 'number for a bool'),
  err(params('"compress-wait-thread": null'), invalidType('compress-wait-thread'), 'null for a bool'),

  // --- throttling
  ok(params('"throttle-trigger-threshold": 1'), 'throttle-trigger-threshold lower bound'),
  ok(params('"throttle-trigger-threshold": 100'), 'throttle-trigger-threshold upper bound'),
  err(params('"throttle-trigger-threshold": 0'), range('throttle-trigger-threshold'), 'below 1'),
  err(params('"throttle-trigger-threshold": 101'), range('throttle-trigger-threshold'), 'above 100'),
  err(params('"throttle-trigger-threshold": 256'), expects('throttle-trigger-threshold', 'uint8_t'), 'does not fit uint8'),
  ok(params('"throttle-trigger-threshold": 50'), 'back to its default'),
  ok(params('"cpu-throttle-increment": 1'), 'cpu-throttle-increment lower bound'),
  ok(params('"cpu-throttle-increment": 99'), 'cpu-throttle-increment upper bound'),
  err(params('"cpu-throttle-increment": 0'), range('cpu-throttle-increment'), 'below 1'),
  err(params('"cpu-throttle-increment": 100'), range('cpu-throttle-increment'), 'above 99'),
  ok(params('"cpu-throttle-increment": 10'), 'back to its default'),
  ok(params('"cpu-throttle-tailslow": true'), 'bool'),
  err(params('"cpu-throttle-tailslow": "false"'), invalidType('cpu-throttle-tailslow'), 'string for a bool'),
  ok(params('"cpu-throttle-tailslow": false'), 'bool back to its default'),
  ok(params('"cpu-throttle-initial": 1'), 'cpu-throttle-initial lower bound'),
  ok(params('"cpu-throttle-initial": 99'), 'cpu-throttle-initial upper bound (max-cpu-throttle is 99)'),
  err(params('"cpu-throttle-initial": 0'), range('cpu-throttle-initial'), 'below 1'),
  err(params('"cpu-throttle-initial": 100'), range('cpu-throttle-initial'), 'above 99'),
  ok(params('"cpu-throttle-initial": 50'), 'cpu-throttle-initial now 50'),
  err(params('"max-cpu-throttle": 40'), range('max-cpu-throttle'), 'state: below the cpu-throttle-initial set just before'),
  ok(params('"max-cpu-throttle": 50'), 'state: equal to cpu-throttle-initial is fine'),
  err(params('"cpu-throttle-initial": 60'), range('max-cpu-throttle'), 'state: raising the initial above the current maximum fails too'),
  err(params('"max-cpu-throttle": 100'), range('max-cpu-throttle'), 'max-cpu-throttle above 99'),
  ok(params('"max-cpu-throttle": 99'), 'max-cpu-throttle back to its default'),
  ok(params('"cpu-throttle-initial": 20'), 'cpu-throttle-initial back to its default'),
  ok(params('"max-cpu-throttle": 20'), 'state: equal to the default initial'),
  err(params('"max-cpu-throttle": 19'), range('max-cpu-throttle'), 'state: below the default initial of 20'),
  err(params('"cpu-throttle-initial": 30, "max-cpu-throttle": 25'), range('max-cpu-throttle'), 'both in one command, inconsistent'),
  ok(params('"cpu-throttle-initial": 30, "max-cpu-throttle": 30'), 'both in one command, consistent'),
  ok(params('"cpu-throttle-initial": 20, "max-cpu-throttle": 99'), 'both back to their defaults'),

  // --- TLS (StrOrNull when setting)
  ok(params('"tls-creds": ""'), 'empty string: no TLS'),
  ok(params('"tls-creds": null'), 'null is allowed for StrOrNull'),
  ok(params('"tls-hostname": "dest.example"'), 'a hostname string'),
  ok(params('"tls-hostname": null'), 'null resets it'),
  ok(params('"tls-authz": "authz0"'), 'an object id, only resolved when used'),
  ok(params('"tls-authz": null'), 'null resets it'),
  err(params('"tls-creds": 1'), invalidType('tls-creds'), 'number for StrOrNull'),
  err(params('"tls-creds": true'), invalidType('tls-creds'), 'bool for StrOrNull'),
  err(params('"tls-hostname": ["a"]'), invalidType('tls-hostname'), 'array for StrOrNull'),
  err(params('"tls-authz": {"id": "a"}'), invalidType('tls-authz'), 'object for StrOrNull'),

  // --- bandwidths (size = uint64: negatives wrap around, strings and floats are refused)
  ok(params('"max-bandwidth": 0'), 'zero'),
  ok(params('"max-bandwidth": 1073741824'), '1 GiB/s in bytes'),
  ok(params('"max-bandwidth": 18446744073709551615'), '2^64-1 fits a size'),
  ok(params('"max-bandwidth": 9223372036854775808'), '2^63 fits a size'),
  ok(params('"max-bandwidth": -1'), 'QEMU wraps -1 to 2^64-1 silently', { ours: 'warning' }),
  ok(params('"max-bandwidth": -9223372036854775808'), 'most negative int64 wraps to 2^63', { ours: 'warning' }),
  err(params('"max-bandwidth": -9223372036854775809'), expects('max-bandwidth', 'uint64'), 'below int64: a float, refused'),
  err(params('"max-bandwidth": 18446744073709551616'), expects('max-bandwidth', 'uint64'), '2^64: a float, refused'),
  err(params('"max-bandwidth": "1G"'), expects('max-bandwidth', 'uint64'), 'QMP never accepts size strings'),
  err(params('"max-bandwidth": "1073741824"'), expects('max-bandwidth', 'uint64'), 'a number in a string'),
  err(params('"max-bandwidth": 1.5e9'), expects('max-bandwidth', 'uint64'), 'a float'),
  err(params('"max-bandwidth": true'), expects('max-bandwidth', 'uint64'), 'a bool'),
  err(params('"max-bandwidth": null'), expects('max-bandwidth', 'uint64'), 'null for a size'),
  ok(params('"max-bandwidth": 134217728'), 'back to its default (128 MiB/s)'),
  ok(params('"max-postcopy-bandwidth": 1073741824'), 'max-postcopy-bandwidth'),
  ok(params('"max-postcopy-bandwidth": -1'), 'negative wraps silently', { ours: 'warning' }),
  err(params('"max-postcopy-bandwidth": "0"'), expects('max-postcopy-bandwidth', 'uint64'), 'string for a size'),
  ok(params('"max-postcopy-bandwidth": 0'), 'back to its default (unlimited)'),

  // --- downtime-limit (uint64, at most 2000000 ms)
  ok(params('"downtime-limit": 0'), 'lower bound'),
  ok(params('"downtime-limit": 2000000'), 'upper bound'),
  err(params('"downtime-limit": 2000001'), range('downtime-limit'), 'above 2000000'),
  err(params('"downtime-limit": -1'), range('downtime-limit'), 'negative wraps to 2^64-1, then fails the range'),
  err(params('"downtime-limit": 18446744073709551615'), range('downtime-limit'), 'fits uint64 but fails the range'),
  err(params('"downtime-limit": 300.0'), expects('downtime-limit', 'uint64'), 'a float, even a whole one'),
  err(params('"downtime-limit": 1e3'), expects('downtime-limit', 'uint64'), 'exponent notation is a float'),
  err(params('"downtime-limit": "300"'), expects('downtime-limit', 'uint64'), 'a number in a string'),
  ok(params('"downtime-limit": 300'), 'back to its default'),

  // --- x-checkpoint-delay (uint32, unstable), block-incremental (bool)
  ok(params('"x-checkpoint-delay": 0'), 'no range check in 7.2'),
  ok(params('"x-checkpoint-delay": 4294967295'), 'uint32 maximum'),
  err(params('"x-checkpoint-delay": 4294967296'), expects('x-checkpoint-delay', 'uint32_t'), 'does not fit uint32'),
  err(params('"x-checkpoint-delay": -1'), expects('x-checkpoint-delay', 'uint32_t'), 'negative wraps: does not fit uint32'),
  ok(params('"x-checkpoint-delay": 20000'), 'back to its default'),
  ok(params('"block-incremental": true'), 'bool'),
  err(params('"block-incremental": "on"'), invalidType('block-incremental'), 'HMP spelling of a bool'),
  ok(params('"block-incremental": false'), 'back to its default'),

  // --- multifd
  ok(params('"multifd-channels": 1'), 'lower bound'),
  ok(params('"multifd-channels": 255'), 'upper bound'),
  err(params('"multifd-channels": 0'), range('multifd-channels'), 'below 1'),
  err(params('"multifd-channels": 256'), expects('multifd-channels', 'uint8_t'), 'does not fit uint8'),
  ok(params('"multifd-channels": 2'), 'back to its default'),
  ok(params('"multifd-compression": "zlib"'), 'enum value'),
  ok(params('"multifd-compression": "zstd"'), 'enum value (this build has zstd)'),
  ok(params('"multifd-compression": "none"'), 'back to its default'),
  err(params('"multifd-compression": "lz4"'), "does not accept value 'lz4'", 'not in the enum'),
  err(params('"multifd-compression": "qpl"'), "does not accept value 'qpl'", 'added in 9.1'),
  err(params('"multifd-compression": "ZLIB"'), "does not accept value 'ZLIB'", 'enum values are case-sensitive'),
  err(params('"multifd-compression": 1'), invalidType('multifd-compression'), 'number for an enum'),
  err(params('"multifd-compression": null'), invalidType('multifd-compression'), 'null for an enum'),
  ok(params('"multifd-zlib-level": 0'), 'lower bound'),
  ok(params('"multifd-zlib-level": 9'), 'upper bound'),
  ok(
    params('"multifd-zlib-level": 10'),
    'out of the documented 0..9, but QEMU 7.2 never looks at this member when checking or applying: it answers success and keeps the old value',
    { ours: 'warning' },
  ),
  err(params('"multifd-zlib-level": 256'), expects('multifd-zlib-level', 'uint8_t'), 'does not fit uint8 (the type check still happens)'),
  ok(params('"multifd-zstd-level": 20'), 'upper bound'),
  err(params('"multifd-zstd-level": 256'), expects('multifd-zstd-level', 'uint8_t'), 'does not fit uint8'),
  ok(params('"multifd-zstd-level": 21'), 'out of the documented 0..20, ignored by QEMU 7.2 like multifd-zlib-level', { ours: 'warning' }),
  ok(params('"multifd-zlib-level": 1, "multifd-zstd-level": 1'), 'both back to their defaults'),

  // --- xbzrle-cache-size: a power of two, at least the 4 KiB page
  ok(params('"xbzrle-cache-size": 4096'), 'exactly one page'),
  ok(params('"xbzrle-cache-size": 1073741824'), '1 GiB'),
  err(params('"xbzrle-cache-size": 2048'), range('xbzrle-cache-size'), 'below the page size'),
  err(params('"xbzrle-cache-size": 12288'), range('xbzrle-cache-size'), 'three pages: not a power of two'),
  err(params('"xbzrle-cache-size": 0'), range('xbzrle-cache-size'), 'zero'),
  err(params('"xbzrle-cache-size": -4096'), range('xbzrle-cache-size'), 'negative wraps to a value that is not a power of two'),
  ok(params('"xbzrle-cache-size": -9223372036854775808'), 'wraps to 2^63, a power of two: QEMU takes it silently', { ours: 'warning' }),
  err(params('"xbzrle-cache-size": "64M"'), expects('xbzrle-cache-size', 'uint64'), 'size strings are HMP only'),
  ok(params('"xbzrle-cache-size": 67108864'), 'back to its default (64 MiB)'),

  // --- block-bitmap-mapping (a list of structs)
  ok(params('"block-bitmap-mapping": []'), 'an empty mapping'),
  ok(params('"block-bitmap-mapping": [{"node-name": "disk0", "alias": "d0", "bitmaps": []}]'), 'a node with no bitmaps'),
  ok(
    params('"block-bitmap-mapping": [{"node-name": "disk0", "alias": "d0", "bitmaps": [{"name": "b0", "alias": "a0", "transform": {"persistent": true}}]}]'),
    'the full nesting',
  ),
  err(
    params('"block-bitmap-mapping": [{"node-name": "disk0", "alias": "d0"}]'),
    "'block-bitmap-mapping[0].bitmaps' is missing",
    'nested required member missing',
  ),
  err(
    params('"block-bitmap-mapping": [{"node-name": "disk0", "alias": "d0", "bitmaps": [{"name": "b0"}]}]'),
    "'block-bitmap-mapping[0].bitmaps[0].alias' is missing",
    'deeper nested member missing',
  ),
  err(
    params('"block-bitmap-mapping": [{"node-name": "disk0", "alias": "d0", "bitmaps": [], "extra": 1}]'),
    unexpectedParam('block-bitmap-mapping[0].extra'),
    'unknown member in a list element',
  ),
  err(params('"block-bitmap-mapping": {}'), invalidType('block-bitmap-mapping'), 'object for a list'),
  err(params('"block-bitmap-mapping": null'), invalidType('block-bitmap-mapping'), 'null for a list'),
  ok(params('"block-bitmap-mapping": []'), 'back to an empty mapping'),

  // --- migrate-set-capabilities: shape
  ok(caps(''), 'an empty list changes nothing'),
  err('{"execute": "migrate-set-capabilities"}', "Parameter 'capabilities' is missing", 'no arguments'),
  err('{"execute": "migrate-set-capabilities", "arguments": {}}', "Parameter 'capabilities' is missing", 'empty arguments'),
  err(caps('{"capability": "xbzrle"}'), "Parameter 'capabilities[0].state' is missing", 'nested required member missing'),
  err(caps('{"state": true}'), "Parameter 'capabilities[0].capability' is missing", 'the other nested member missing'),
  err(caps(`${cap('events', true)}, {"capability": "xbzrle"}`), "Parameter 'capabilities[1].state' is missing", 'second element incomplete'),
  err(caps('{"capability": "no-such", "state": true}'), "does not accept value 'no-such'", 'unknown capability'),
  err(caps('{"capability": "switchover-ack", "state": true}'), "does not accept value 'switchover-ack'", 'added in 8.1'),
  err(caps('{"capability": "mapped-ram", "state": true}'), "does not accept value 'mapped-ram'", 'added in 9.0'),
  err(caps('{"capability": "xbzrle", "state": "yes"}'), invalidType('capabilities[0].state'), 'string for a bool'),
  err(caps('{"capability": "xbzrle", "state": 1}'), invalidType('capabilities[0].state'), 'number for a bool'),
  err(caps('{"capability": 1, "state": true}'), invalidType('capabilities[0].capability'), 'number for an enum'),
  err(caps('{"capability": "xbzrle", "state": true, "foo": 1}'), unexpectedParam('capabilities[0].foo'), 'unknown member in an element'),
  err(
    '{"execute": "migrate-set-capabilities", "arguments": {"capabilities": {"capability": "xbzrle", "state": true}}}',
    invalidType('capabilities'),
    'an object instead of a list',
  ),
  err('{"execute": "migrate-set-capabilities", "arguments": {"capabilities": null}}', invalidType('capabilities'), 'null for a list'),

  // --- every capability on its own
  ...everyCapability(),

  // --- capability combinations (migrate_caps_check sees the current capabilities plus the change)
  ok(caps(`${cap('postcopy-ram', true)}, ${cap('compress', true)}`), '7.2 allows postcopy with (old-style) compression'),
  err(caps(cap('postcopy-preempt', true)), 'Postcopy preempt not compatible with compress', 'state: preempt while compress (enabled just before) is on'),
  ok(caps(cap('compress', false)), 'compress off; postcopy-ram stays on'),
  ok(caps(cap('postcopy-preempt', true)), 'state: preempt with postcopy-ram already on'),
  err(caps(cap('compress', true)), 'Postcopy preempt not compatible with compress', 'state: compress while preempt is on'),
  ok(caps(`${cap('postcopy-preempt', false)}, ${cap('postcopy-ram', false)}`), 'both off'),
  err(
    caps(`${cap('postcopy-ram', true)}, ${cap('postcopy-preempt', true)}, ${cap('compress', true)}`),
    'Postcopy preempt not compatible with compress',
    'all three in one command',
  ),
  ok(caps(`${cap('postcopy-ram', true)}, ${cap('postcopy-preempt', true)}`), 'preempt with postcopy-ram in one command'),
  err(caps(cap('postcopy-ram', false)), 'Postcopy preempt requires postcopy-ram', 'state: postcopy-ram off while preempt stays on'),
  ok(caps(`${cap('postcopy-ram', false)}, ${cap('postcopy-preempt', false)}`), 'both off in one command'),
  ok(caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}`), 'zero-copy-send with multifd, no compression, no TLS'),
  err(caps(cap('multifd', false)), 'Zero copy only available for non-compressed non-TLS multifd migration', 'state: multifd off while zero-copy-send stays on'),
  ok(caps(`${cap('zero-copy-send', false)}, ${cap('multifd', false)}`), 'both off'),
  err(
    caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}, ${cap('compress', true)}`),
    'Zero copy only available for non-compressed non-TLS multifd migration',
    'zero-copy-send with compress',
  ),
  err(
    caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}, ${cap('xbzrle', true)}`),
    'Zero copy only available for non-compressed non-TLS multifd migration',
    'zero-copy-send with xbzrle',
  ),
  ok(params('"multifd-compression": "zlib"'), 'state: multifd compression on'),
  err(
    caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}`),
    'Zero copy only available for non-compressed non-TLS multifd migration',
    'state: zero-copy-send with multifd compression set before',
  ),
  ok(params('"multifd-compression": "none"'), 'multifd compression back off'),
  ok(params('"tls-creds": "tls0"'), 'state: TLS on (the object is only looked up when migrating)'),
  err(
    caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}`),
    'Zero copy only available for non-compressed non-TLS multifd migration',
    'state: zero-copy-send with TLS set before',
  ),
  ok(params('"tls-creds": ""'), 'TLS back off'),
  ok(caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}`), 'zero-copy-send accepted again once TLS is off'),
  ok(caps(`${cap('zero-copy-send', false)}, ${cap('multifd', false)}`), 'both off'),
  err(
    caps(`${cap('background-snapshot', true)}, ${cap('postcopy-ram', true)}`),
    'Background-snapshot is not compatible with postcopy-ram',
    'background-snapshot with postcopy-ram',
  ),
  err(
    caps(`${cap('background-snapshot', true)}, ${cap('xbzrle', true)}`),
    'Background-snapshot is not compatible with xbzrle',
    'background-snapshot with xbzrle',
  ),
  ok(caps(cap('multifd', true)), 'multifd on'),
  err(caps(cap('background-snapshot', true)), 'Background-snapshot is not compatible with multifd', 'state: background-snapshot while multifd is on'),
  ok(caps(cap('multifd', false)), 'multifd off'),
  err(
    caps(`${cap('multifd', true)}, ${cap('compress', true)}`),
    'Multifd is not compatible with compress',
    'multifd with (old-style) compress, refused already in 7.2',
  ),
  ok(caps(`${cap('multifd', true)}, ${cap('postcopy-ram', true)}`), '7.2 allows multifd with postcopy-ram'),
  ok(caps(`${cap('multifd', false)}, ${cap('postcopy-ram', false)}`), 'both off'),
  ok(caps(`${cap('multifd', true)}, ${cap('zero-copy-send', true)}`), 'zero-copy-send on for the parameter checks below'),
  err(
    params('"multifd-compression": "zlib"'),
    'Zero copy only available for non-compressed non-TLS multifd migration',
    'state: multifd compression while zero-copy-send is on',
  ),
  err(params('"tls-creds": "tls0"'), 'Zero copy only available for non-compressed non-TLS multifd migration', 'state: TLS while zero-copy-send is on'),
  ok(params('"tls-creds": null, "multifd-compression": "none"'), 'no TLS, no compression: fine with zero-copy-send'),
  ok(caps(`${cap('zero-copy-send', false)}, ${cap('multifd', false)}`), 'both off'),
  ok(
    caps(`${cap('dirty-bitmaps', true)}, ${cap('postcopy-ram', true)}, ${cap('return-path', true)}, ${cap('late-block-activate', true)}`),
    'four compatible capabilities at once',
  ),
  ok(caps(`${cap('dirty-bitmaps', false)}, ${cap('postcopy-ram', false)}, ${cap('return-path', false)}, ${cap('late-block-activate', false)}`), 'all four off'),
  ok(caps(`${cap('xbzrle', true)}, ${cap('xbzrle', false)}`), 'the same capability twice in one list: the last one wins'),

  // --- state: migrate-start-postcopy
  err('{"execute": "migrate-start-postcopy"}', 'Enable postcopy with migrate_set_capability', 'state: postcopy-ram was never enabled'),
  ok(caps(cap('postcopy-ram', true)), 'postcopy-ram on'),
  err(
    '{"execute": "migrate-start-postcopy"}',
    'Postcopy must be started after migration has been started',
    'state: postcopy-ram is on but no migration was started',
  ),
  ok(
    '{"execute": "migrate", "arguments": {"uri": "unix:@DIR@/nobody-listens.sock"}}',
    'starts a migration to a socket path in our own directory; nobody listens there, so it fails at once',
    { settle: true },
  ),
  ok('{"execute": "migrate-start-postcopy"}', 'state: postcopy-ram was on before migrate (QEMU does not mind that the migration already failed)'),
  ok('{"execute": "query-migrate"}', 'the failed migration is reported'),
  ok(caps(cap('postcopy-ram', false)), 'postcopy-ram off again once the migration has ended'),
];
