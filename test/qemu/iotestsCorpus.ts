// QMP commands from QEMU's own iotests, paired with the reply QEMU really gave: every
// tests/qemu-iotests/**/*.out of a release holds what the test sent ({"execute": ...})
// followed by QEMU's answer ({"return": ...} or {"error": ...}), with events between.
// Nobody on this project wrote these commands, so they measure how often our checker,
// given only that release's query-qmp-schema reply, agrees with QEMU.
//
// The corpus is read from QEMU's git history on this machine and kept outside the
// repository (a cache folder); callers skip with a message when the mirror is absent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { CachedFiles, diskFiles } from '../../server/src/service/common/files';
import { lineAt, lineStartsOf } from '../../server/src/service/common/lines';
import { defaultSettings } from '../../server/src/service/common/settings';
import { createLanguageService } from '../../server/src/service/languageService';
import { parseJson } from '../../server/src/service/qmp/script/json';
import { toPlain } from '../../server/src/service/qmp/script/value';

export const QEMU_GIT = process.env.QEMU_GIT ?? '/work/.mirror/pbo-linaro+qemu-ci/repo';

/** Release commits ("Update version for ..."); the introspection replies in ../shared exist for these two. */
export const RELEASES: Record<string, string> = { '7.2': 'b67b00e6b4', '10.2': '698104725e' };

export interface IotestCommand {
  /** The .out file and the 1-based line where the command starts. */
  file: string;
  line: number;
  /** The command as the test sent it, on one line. */
  send: string;
  /** QEMU's answer: 'ok', or its error class and text. */
  qemu: { kind: 'ok' } | { kind: 'error'; class: string; desc: string };
}

export interface IotestFile {
  file: string;
  commands: IotestCommand[];
}

export function iotestsSkipReason(): string | false {
  return existsSync(QEMU_GIT) ? false : `QEMU's git history not found at ${QEMU_GIT} (set QEMU_GIT); the iotests corpus is read from it`;
}

const cacheDir = () => process.env.QAPI_QMP_CACHE ?? join(homedir(), '.cache', 'qapi-qmp');

/** The corpus of one release, extracted once and cached outside the repository. */
export function iotestsCorpus(version: string): IotestFile[] {
  const commit = RELEASES[version];
  if (!commit) throw new Error(`no release commit known for QEMU ${version}`);
  const cached = join(cacheDir(), `iotests-qmp-${version}-${commit}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as IotestFile[];
  const git = (...args: string[]) => execFileSync('git', ['-C', QEMU_GIT, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const outs = git('ls-tree', '-r', '--name-only', commit, 'tests/qemu-iotests/')
    .split('\n')
    .filter((f) => f.endsWith('.out'));
  const files: IotestFile[] = [];
  for (const f of outs) {
    const commands = extractCommands(f, git('show', `${commit}:${f}`));
    if (commands.length) files.push({ file: f, commands });
  }
  mkdirSync(cacheDir(), { recursive: true });
  writeFileSync(cached, JSON.stringify(files));
  return files;
}

/**
 * Logged commands that are not what the test sent: the output filter put a placeholder
 * where the image format was (IMGFMT, IMGPROTO), and Python tests log through
 * iotests.ordered_qmp, which turns '_' into '-' in the keys of objects inside arrays
 * (blkdebug's `new_state` is logged as `new-state`).
 */
const NOT_AS_SENT = [/\bIMG(FMT|PROTO)\b/, /"new-state"/];

const COMMAND_START = /^\s*\{\s*["'](execute|exec-oob)["']\s*:/;

/**
 * Commands of one .out file with the reply that follows each. A command whose reply
 * cannot be told (another command comes first, the output was filtered into something
 * that is not JSON, e.g. `"size": SIZE`) is left out: its verdict is unknown.
 */
export function extractCommands(file: string, text: string): IotestCommand[] {
  const lines = text.split('\n');
  const starts = lineStartsOf(text);
  const lineOf = (offset: number) => lineAt(starts, offset);
  const out: IotestCommand[] = [];
  let l = 0;
  while (l < lines.length) {
    if (!COMMAND_START.test(lines[l])) {
      l++;
      continue;
    }
    const at = starts[l] + lines[l].indexOf('{');
    const cmd = parseJson(text, at, false);
    if (!cmd.value) {
      l++;
      continue;
    }
    const cmdLine = l;
    l = lineOf(cmd.end) + 1;
    // The reply: the next {"return"...} or {"error"...} line; events and other output may come between.
    let reply: IotestCommand['qemu'] | undefined;
    while (l < lines.length) {
      const s = lines[l].trimStart();
      if (COMMAND_START.test(s)) break;
      if (/^\{\s*"(return|error)"/.test(s)) {
        const r = parseJson(text, starts[l] + lines[l].indexOf('{'), false);
        const v = r.value ? (toPlain(r.value) as { return?: unknown; error?: { class?: string; desc?: string } }) : undefined;
        if (v && 'return' in v) reply = { kind: 'ok' };
        else if (v?.error) reply = { kind: 'error', class: String(v.error.class), desc: String(v.error.desc) };
        else {
          // Filtered output (TIMESTAMP, SIZE ...) may not parse: the class and text are still readable.
          const cls = /"class":\s*"([^"]+)"/.exec(s);
          const desc = /"desc":\s*"((?:[^"\\]|\\.)*)"/.exec(s);
          if (/^\{\s*"return"/.test(s)) reply = { kind: 'ok' };
          else if (cls) reply = { kind: 'error', class: cls[1], desc: desc ? desc[1] : '' };
        }
        l = (r.value ? lineOf(r.end) : l) + 1;
        break;
      }
      l++;
    }
    if (!reply) continue;
    const send = text.slice(at, cmd.end).replace(/\s*\n\s*/g, ' ');
    if (NOT_AS_SENT.some((r) => r.test(send))) continue;
    out.push({ file, line: cmdLine + 1, send, qemu: reply });
  }
  return out;
}

/**
 * The errors a checker can foresee from the schema alone (QEMU's JSON parser, dispatcher
 * and input visitor); every other error depends on QEMU's state (no such node, job not
 * ready ...), which a schema cannot know: there the checker's right answer is silence.
 */
const SCHEMA_ERRORS: RegExp[] = [
  /^The command \S+ has not been found/,
  /^Expecting capabilities negotiation/,
  /^Capabilities negotiation is already complete/,
  /^Parameter '[^']*' is unexpected/,
  /^Parameter '[^']*' is missing/,
  /^Invalid parameter type for '[^']*'/,
  /^Parameter '[^']*' does not accept value/,
  /^Parameter '[^']*' expects (an? )?(u?int|size|uint64|number|boolean)/,
  /^QMP input member '[^']*' is unexpected/,
  /^QMP input (lacks member|member 'execute' must be)/,
  /^JSON parse error/,
  /^QMP input must be a JSON object/,
  /^Invalid JSON syntax/,
  /has invalid value/,
];

export type QemuClass = 'ok' | 'schema-error' | 'state-error';

export function qemuClass(c: IotestCommand): QemuClass {
  if (c.qemu.kind === 'ok') return 'ok';
  if (c.qemu.class === 'CommandNotFound') return 'schema-error';
  const desc = c.qemu.desc;
  return SCHEMA_ERRORS.some((r) => r.test(desc)) ? 'schema-error' : 'state-error';
}

/** Codes of QEMU's command-level checks: right to report where QEMU refuses for a reason beyond the schema. */
const COMMAND_LEVEL = new Set(['qmp-parameter-range', 'qmp-capability-combination', 'qmp-state']);

export interface Agreement {
  version: string;
  /** Commands per QEMU class, and how many of them the checker agreed on. */
  total: Record<QemuClass, number>;
  agreed: Record<QemuClass, number>;
  disagreements: string[];
}

/**
 * Checks every file's commands as one script (one command a line, in the order the test
 * sent them) and compares line by line: QEMU accepted -> no error of ours; a schema-level
 * refusal -> an error of ours; a refusal that depends on QEMU's state -> no error, or a
 * command-level one.
 */
export function agreement(
  version: string,
  files: IotestFile[],
  check: (script: string) => { line: number; error: boolean; code: string; message: string }[],
): Agreement {
  const total = { ok: 0, 'schema-error': 0, 'state-error': 0 };
  const agreed = { ok: 0, 'schema-error': 0, 'state-error': 0 };
  const disagreements: string[] = [];
  for (const f of files) {
    const diags = check(f.commands.map((c) => c.send).join('\n'));
    f.commands.forEach((c, i) => {
      const errors = diags.filter((d) => d.line === i && d.error);
      const cls = qemuClass(c);
      total[cls]++;
      const ok = cls === 'ok' ? errors.length === 0 : cls === 'schema-error' ? errors.length > 0 : errors.every((e) => COMMAND_LEVEL.has(e.code));
      if (ok) {
        agreed[cls]++;
        return;
      }
      const qemu = c.qemu.kind === 'ok' ? 'return' : `${c.qemu.class}: ${c.qemu.desc}`;
      disagreements.push(
        `${f.file}:${c.line}: ${c.send.length > 300 ? c.send.slice(0, 300) + '…' : c.send}\n    QEMU: ${qemu}\n    ours: ${errors.map((e) => `${e.code}: ${e.message}`).join(' | ') || 'nothing'}`,
      );
    });
  }
  return { version, total, agreed, disagreements };
}

/** The QMP checker's agreement with QEMU on a release's corpus, given only that release's query-qmp-schema reply. */
export function checkerAgreement(version: string, introspectionFile: string): Agreement {
  const svc = createLanguageService({ files: new CachedFiles(diskFiles, Infinity) });
  const settings = { ...defaultSettings, qemuVersion: version, introspectionFile };
  let n = 0;
  return agreement(version, iotestsCorpus(version), (script) => {
    const doc = TextDocument.create(`file:///iotests/${n++}.qmp`, 'qmp', 1, script);
    return [...svc.validate(doc, settings).values()].flat().map((d) => ({
      line: d.range.start.line,
      error: d.severity === DiagnosticSeverity.Error,
      code: String(d.code),
      message: String(d.message),
    }));
  });
}

export function percent(a: Agreement): string {
  const n = (k: QemuClass) => `${k} ${a.agreed[k]}/${a.total[k]}`;
  const all = a.agreed.ok + a.agreed['schema-error'] + a.agreed['state-error'];
  const tot = a.total.ok + a.total['schema-error'] + a.total['state-error'];
  return `${((100 * all) / tot).toFixed(1)}% (${all}/${tot}; ${n('ok')}, ${n('schema-error')}, ${n('state-error')})`;
}
