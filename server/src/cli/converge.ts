// `qapi-qmp converge SCENARIO.json | SCRIPT.qmp[:LINE[:COLUMN]] [--format text|json]`:
// simulate QEMU's precopy loop for a scenario (or for the migration parameters a QMP
// script has set at a position) and say whether, when and why it converges.
// Exit 0 converges, 1 does not, 2 bad input (one line naming the field).
import { relative, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NEWEST_RELEASE } from '../migration/version';
import { diskFiles } from '../service/common/files';
import { pathToUri } from '../service/common/paths';
import { defaultSettings } from '../service/common/settings';
import { createLanguageService } from '../service/languageService';
import { analyse, DEFAULT_GUEST, DEFAULT_LINK, ScenarioError, scenarioFromInputs, type Scenario, type SimulationResult } from '../simulator/index';
import { paintFor, type Paint } from './color';
import { convergeToSarif } from './sarif';
import { checkScenarioSchema } from './scenarioSchema';
import { UsageError } from './usage';

interface ConvergeArgs {
  values: { format?: string };
  positionals: string[];
}

export function runConverge(args: ConvergeArgs, out: NodeJS.WritableStream): number {
  if (args.positionals.length !== 1) {
    throw new UsageError('converge needs exactly one SCENARIO.json or SCRIPT.qmp[:LINE[:COLUMN]]');
  }
  const target = args.positionals[0];
  const script = /^(.*\.qmp)(?::(\d+)(?::(\d+))?)?$/i.exec(target);
  const { scenario, origin } = script
    ? fromScript(script[1], script[2] ? Number(script[2]) : undefined, script[3] ? Number(script[3]) : undefined)
    : { scenario: fromJson(target), origin: undefined };

  let result: SimulationResult;
  try {
    result = analyse(scenario);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(`${display(script ? script[1] : target)}: ${e.message}`);
    throw e;
  }
  if (args.values.format === 'json') out.write(JSON.stringify(result, null, 2) + '\n');
  else if (args.values.format === 'sarif') {
    out.write(
      JSON.stringify(
        convergeToSarif({
          path: resolve(script ? script[1] : target),
          line: script?.[2] ? Number(script[2]) : undefined,
          qemuVersion: scenario.qemuVersion ?? NEWEST_RELEASE,
          converged: result.converged,
          reason: result.reason,
          downtimeMs: result.downtimeMs,
          downtimeLimitMs: result.downtimeLimitMs,
          recommendations: result.recommendations,
        }),
        null,
        2,
      ) + '\n',
    );
  } else out.write(formatText(scenario, result, origin, paintFor(out as { isTTY?: boolean })));
  return result.converged ? 0 : 1;
}

function read(path: string): string {
  const r = diskFiles.read(resolve(path));
  if ('error' in r) throw new UsageError(`${path}: cannot read (${r.error})`);
  return r.text;
}

function fromJson(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(read(path));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  // The schema VS Code checks the file with comes first; the simulator then checks what a
  // schema cannot say (a parameter the QEMU version lacks, workingSetBytes <= ramBytes).
  const verdict = checkScenarioSchema(raw);
  if (!verdict.ok) throw new UsageError(`${path}: ${verdict.message}`);
  return raw as Scenario;
}

function fromScript(path: string, line?: number, column?: number): { scenario: Scenario; origin: string } {
  const abs = resolve(path);
  const text = read(path);
  const lines = text.split('\n');
  if (line !== undefined && (line < 1 || line > lines.length)) {
    throw new UsageError(`${path}: line ${line} is outside the script (1 to ${lines.length})`);
  }
  // Without a line: the end of the script, with every command before it in force.
  const at = line ?? lines.length;
  const character = column !== undefined ? Math.max(0, column - 1) : lines[at - 1].length;
  const doc = TextDocument.create(pathToUri(abs), 'qmp', 1, text);
  const service = createLanguageService({ files: diskFiles });
  const inputs = service.migrationInputsAt(doc, { line: at - 1, character }, defaultSettings);
  if (!inputs) throw new UsageError(`${path}: no migration inputs found at ${at}`);
  const assumed = [
    ...Object.keys(DEFAULT_GUEST)
      .filter((k) => inputs.guest?.[k as keyof typeof DEFAULT_GUEST] === undefined)
      .map((k) => `guest.${k}`),
    ...Object.keys(DEFAULT_LINK)
      .filter((k) => inputs.link?.[k as keyof typeof DEFAULT_LINK] === undefined)
      .map((k) => `link.${k}`),
  ];
  const origin =
    `${display(abs)}:${line ?? 'end'} (QEMU ${inputs.qemuVersion})` +
    (assumed.length ? `; assumed workload defaults for ${assumed.join(', ')} (see docs/converge.md)` : '');
  return { scenario: scenarioFromInputs(inputs), origin };
}

function display(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') ? rel : path;
}

function formatText(scenario: Scenario, r: SimulationResult, origin: string | undefined, paint: Paint): string {
  const lines: string[] = [];
  if (origin) lines.push(`inputs: ${origin}`);
  lines.push(
    r.converged
      ? paint.good(`${r.mode === 'postcopy' ? 'switches to postcopy' : 'converges'} at ${r.switchoverSeconds} s`) +
          ` (QEMU ${scenario.qemuVersion ?? NEWEST_RELEASE} rules)`
      : paint.error(`does not converge within ${Math.round(r.simulatedSeconds ?? 0)} s`) + ` (QEMU ${scenario.qemuVersion ?? NEWEST_RELEASE} rules)`,
  );
  if (r.downtimeMs !== null) lines.push(`downtime: ${Math.round(r.downtimeMs)} ms real, downtime-limit ${r.downtimeLimitMs} ms`);
  lines.push(`dirty syncs: ${r.dirtySyncCount}`, `transferred: ${(r.transferredBytes / 1e6).toFixed(1)} MB`, `reason: ${r.reason}`);
  if (r.recommendations.length) {
    lines.push('recommendations:');
    for (const rec of r.recommendations) lines.push(`  - [${rec.kind}] ${rec.message}`);
  }
  for (const note of r.notes ?? []) lines.push(`note: ${note}`);
  return lines.join('\n') + '\n';
}
