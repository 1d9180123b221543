// A grid of simulations over two parameters (say avail-switchover-bandwidth x
// downtime-limit): where the scenario converges, and when. The scenario is checked
// once; each cell changes only the two values, and no window list is kept.
import { runPrecopy } from './engine';
import { formatVersion, inRange, PARAMETER_FACTS } from '../migration/index';
import { configure, ScenarioError, SIZE_MAX, type Config } from './scenario';
import type { Scenario } from './types';

/** Parameters a sweep can vary, and the engine field each one sets. */
const AXES = {
  'avail-switchover-bandwidth': (c: Config, v: number) => ({ ...c, availSwitchoverBandwidth: v }),
  'downtime-limit': (c: Config, v: number) => ({ ...c, downtimeLimitMs: v, downtimeSteps: [] }),
  'max-bandwidth': (c: Config, v: number) => ({ ...c, maxBandwidth: v }),
} as const;
export type SweepParameter = keyof typeof AXES;

export interface SweepAxis {
  parameter: SweepParameter;
  values: number[];
}
export interface SweepResult {
  x: SweepAxis;
  y: SweepAxis;
  /** [yIndex][xIndex] */
  converged: boolean[][];
  switchoverSeconds: (number | null)[][];
}

function checkAxis(a: SweepAxis, name: string): void {
  if (!(a.parameter in AXES)) throw new ScenarioError(`${name}.parameter`, `${name}.parameter must be one of ${Object.keys(AXES).join(', ')}`);
  a.values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0 || v > SIZE_MAX || (a.parameter === 'downtime-limit' && v > 2_000_000)) {
      throw new ScenarioError(`${name}.values[${i}]`, `${name}.values[${i}] is not a valid ${a.parameter}: ${v}`);
    }
  });
}

export function sweep(scenario: Scenario, x: SweepAxis, y: SweepAxis): SweepResult {
  checkAxis(x, 'x');
  checkAxis(y, 'y');
  const base = configure(scenario);
  for (const [a, name] of [
    [x, 'x'],
    [y, 'y'],
  ] as const) {
    const fact = PARAMETER_FACTS.get(a.parameter)!;
    if (!inRange(base.version, fact.since, fact.removed)) {
      throw new ScenarioError(`${name}.parameter`, `${a.parameter} does not exist in QEMU ${formatVersion(base.version)} (it was added in ${fact.since})`);
    }
  }
  const converged: boolean[][] = [];
  const switchoverSeconds: (number | null)[][] = [];
  for (const yv of y.values) {
    const row = AXES[y.parameter](base, yv);
    const ok: boolean[] = [];
    const at: (number | null)[] = [];
    for (const xv of x.values) {
      const r = runPrecopy(AXES[x.parameter](row, xv), false);
      ok.push(r.mode !== null);
      at.push(r.switchoverMs === null ? null : r.switchoverMs / 1000);
    }
    converged.push(ok);
    switchoverSeconds.push(at);
  }
  return { x, y, converged, switchoverSeconds };
}
