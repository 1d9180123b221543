// Input handling, determinism, warnings and the simulated recommendations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  analyse,
  DEFAULT_GUEST,
  DEFAULT_LINK,
  HARD_CAP_SECONDS,
  recommend,
  ScenarioError,
  scenarioFromInputs,
  simulate,
  sweep,
  validateScenario,
  type Scenario,
  type SimulationResult,
} from '../../server/src/simulator/index';

const GiB = 2 ** 30,
  MiB = 2 ** 20;

/** The seed patch's case: 10G link, a migration thread that sends only 3.2% of the time. */
const busy = (parameters: Scenario['parameters'] = {}, maxSeconds = 300): Scenario => ({
  qemuVersion: '10.2',
  guest: { ramBytes: 4 * GiB, workingSetBytes: 256e6, dirtyBytesPerSecond: 200e6, zeroPageFraction: 0, vcpus: 4 },
  link: { bytesPerSecond: 1.25e9, sendingEfficiency: 0.032 },
  parameters,
  capabilities: {},
  maxSeconds,
});

const small = (): Scenario => ({
  qemuVersion: '10.2',
  guest: { ramBytes: GiB, workingSetBytes: 64 * MiB, dirtyBytesPerSecond: 50e6, zeroPageFraction: 0.5, vcpus: 2 },
  link: { bytesPerSecond: 1.25e9, sendingEfficiency: 1 },
  parameters: { 'downtime-limit': 300 },
  capabilities: {},
  maxSeconds: 120,
});

function set(s: Scenario, path: string, value: unknown): Scenario {
  const copy = structuredClone(s) as unknown as Record<string, Record<string, unknown>>;
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) (copy as Record<string, unknown>)[head] = value;
  else copy[head][rest.join('.')] = value;
  return copy as unknown as Scenario;
}

test('the same scenario gives the identical result', () => {
  for (const s of [busy(), small(), busy({ 'avail-switchover-bandwidth': 1.25e9 })]) {
    assert.equal(JSON.stringify(simulate(s)), JSON.stringify(simulate(structuredClone(s))));
  }
});

const NUMERIC_FIELDS = [
  'guest.ramBytes',
  'guest.workingSetBytes',
  'guest.dirtyBytesPerSecond',
  'guest.zeroPageFraction',
  'guest.vcpus',
  'link.bytesPerSecond',
  'link.sendingEfficiency',
  'maxSeconds',
  'parameters.downtime-limit',
  'parameters.max-bandwidth',
  'parameters.avail-switchover-bandwidth',
  'parameters.throttle-trigger-threshold',
  'parameters.cpu-throttle-initial',
  'parameters.cpu-throttle-increment',
  'parameters.max-cpu-throttle',
  'parameters.vcpu-dirty-limit',
  'parameters.multifd-channels',
  'parameters.xbzrle-cache-size',
  'parameters.max-postcopy-bandwidth',
];
const NONSENSE = [0, -1, -5.5, NaN, Infinity, -Infinity, 2 ** 64, 0.5, 1e300];

test('nonsense numbers in every field give a clear error naming the field, or a clear verdict', () => {
  for (const field of NUMERIC_FIELDS) {
    for (const value of NONSENSE) {
      const s = set(small(), field, value);
      let result: SimulationResult | undefined;
      try {
        result = simulate(s);
      } catch (e) {
        assert.ok(e instanceof ScenarioError, `${field}=${value}: threw ${e}`);
        // The culprit may be a related field (RAM below the working set names both).
        assert.ok(e.message.includes(field.replace(/^parameters\./, '')), `${field}=${value}: message "${e.message}" does not name the field`);
        continue;
      }
      assert.equal(typeof result.converged, 'boolean');
      assert.ok(result.reason.length > 20, `${field}=${value}: reason "${result.reason}"`);
      assert.ok(result.simulatedSeconds! <= HARD_CAP_SECONDS + 3600, `${field}=${value}: ran ${result.simulatedSeconds} s`);
      assert.doesNotMatch(JSON.stringify(result), /NaN|Infinity/);
    }
  }
});

test('missing or mistyped fields are named in the error', () => {
  const cases: [unknown, string, RegExp][] = [
    [null, 'scenario', /scenario must be an object/],
    [{ ...small(), guest: undefined }, 'guest', /guest must be an object/],
    [set(small(), 'guest.ramBytes', undefined), 'guest.ramBytes', /guest\.ramBytes is missing/],
    [set(small(), 'guest.ramBytes', '4G'), 'guest.ramBytes', /must be a finite number, got "4G"/],
    [set(small(), 'guest.ramBytes', -1), 'guest.ramBytes', /guest\.ramBytes must be a positive number, got -1/],
    [set(small(), 'guest.workingSetBytes', 2 * GiB), 'guest.workingSetBytes', /must not exceed guest\.ramBytes/],
    [{ ...small(), link: undefined }, 'link', /link must be an object/],
    [set(small(), 'qemuVersion', 'banana'), 'qemuVersion', /QEMU version such as/],
    [set(small(), 'qemuVersion', '6.2'), 'qemuVersion', /outside the modelled range/],
    [set(small(), 'parameters.downtime-limit', '300'), 'parameters.downtime-limit', /must be a finite number/],
    [set(small(), 'parameters.downtime-limit', 3_000_000), 'parameters.downtime-limit', /between 0 and 2000000 ms/],
    [set(small(), 'parameters.cpu-throttle-tailslow', 1), 'parameters.cpu-throttle-tailslow', /true or false/],
    [set(small(), 'parameters.zero-page-detection', 'fast'), 'parameters.zero-page-detection', /one of none, legacy, multifd/],
    [set(small(), 'parameters.xbzrle-cache-size', 3 * MiB), 'parameters.xbzrle-cache-size', /power of two/],
    [set(small(), 'capabilities.multifd', 'yes'), 'capabilities.multifd', /true or false/],
    [set(small(), 'capabilities.switchover-ack', true), 'capabilities.switchover-ack', /switchover-ack needs return-path/],
    [{ ...small(), postcopyStartSeconds: 5 }, 'postcopyStartSeconds', /postcopy-ram is not on/],
    [{ ...small(), downtimeSteps: [{ atSeconds: 1 }] }, 'downtimeSteps[0].downtimeLimitMs', /is missing/],
    [
      { ...small(), qemuVersion: '8.0', parameters: { 'avail-switchover-bandwidth': 1e9 } },
      'parameters.avail-switchover-bandwidth',
      /does not exist in QEMU 8\.0 \(it was added in 8\.2\)/,
    ],
    [{ ...small(), qemuVersion: '9.2', parameters: { 'compress-level': 1 } }, 'parameters.compress-level', /no longer exists/],
  ];
  for (const [scenario, field, message] of cases) {
    const v = validateScenario(scenario);
    assert.equal(v.ok, false, `${field} should be rejected`);
    if (!v.ok) {
      assert.equal(v.field, field);
      assert.match(v.message, message);
    }
    assert.throws(
      () => simulate(scenario as Scenario),
      (e: unknown) => e instanceof ScenarioError && e.field === field,
    );
  }
  assert.equal(validateScenario(small()).ok, true);
});

test('version defaults fill what the scenario leaves out; unknown parameters are ignored with a note', () => {
  const bare = simulate({ guest: small().guest, link: small().link } as unknown as Scenario);
  assert.equal(bare.downtimeLimitMs, 300);
  // max-bandwidth default 128 MiB/s: the window budget (page headers included) is what is measured.
  const first = bare.windows.find((w) => w.state === 'active')!;
  assert.equal(first.measuredBytesPerSecond, 128 * MiB);
  const odd = simulate(set(small(), 'parameters.x-made-up', 3));
  assert.ok(odd.notes!.some((n) => /x-made-up/.test(n)));
});

test('the rate limit is lifted at switchover: the real downtime comes from the link, not max-bandwidth', () => {
  const capped = simulate({ ...set(small(), 'guest.dirtyBytesPerSecond', 5e6), parameters: { 'max-bandwidth': 32 * MiB, 'downtime-limit': 300 } });
  assert.equal(capped.converged, true);
  // The threshold is ~10 MB at 32 MiB/s; sending that at 1.25 GB/s takes ~8 ms, not 300.
  assert.ok(capped.downtimeMs! < 60, `downtime ${capped.downtimeMs}`);
});

test('8.x with postcopy-ram syncs on every loop (must_precopy = 0); 9.0 fixed it', () => {
  const s = (v: string): Scenario => ({ ...busy({}, 60), qemuVersion: v, capabilities: { 'postcopy-ram': true } });
  const r82 = simulate(s('8.2')),
    r92 = simulate(s('9.2'));
  assert.ok(r82.dirtySyncCount > 10 * r92.dirtySyncCount, `8.2: ${r82.dirtySyncCount} syncs, 9.2: ${r92.dirtySyncCount}`);
});

test('recommended avail-switchover-bandwidth and downtime-limit are the smallest that converge', () => {
  const recs = recommend(busy());
  const asb = recs.find((r) => r.kind === 'avail-switchover-bandwidth')!;
  const value = asb.parameters!['avail-switchover-bandwidth'] as number;
  assert.ok(value > 0 && value <= 1.25e9, `asb ${value}`);
  assert.equal(simulate(busy({ 'avail-switchover-bandwidth': value })).converged, true);
  assert.equal(simulate(busy({ 'avail-switchover-bandwidth': value - MiB })).converged, false);
  assert.equal(asb.switchoverSeconds, simulate(busy({ 'avail-switchover-bandwidth': value })).switchoverSeconds);

  const dl = recs.find((r) => r.kind === 'downtime-limit')!;
  const ms = dl.parameters!['downtime-limit'] as number;
  assert.equal(simulate(busy({ 'downtime-limit': ms })).converged, true);
  assert.equal(simulate(busy({ 'downtime-limit': ms - 1 })).converged, false);

  const ac = recs.find((r) => r.kind === 'auto-converge')!;
  const withAc = simulate({ ...busy(), capabilities: { 'auto-converge': true } });
  assert.equal(ac.capabilities?.['auto-converge'] === true, withAc.converged);
  if (withAc.converged) assert.match(ac.message, new RegExp(`throttled to ${withAc.finalThrottlePercent}%`));
  assert.ok(recs.some((r) => r.kind === 'orchestrator' && /Nova/.test(r.message)));
  // A converging scenario needs nothing.
  assert.deepEqual(recommend(small()), []);
});

test('asb above the link and asb = -1 (2^64-1, stop-and-copy) are warned about', () => {
  const above = analyse(busy({ 'avail-switchover-bandwidth': 5e9 }));
  const w = above.recommendations.find((r) => r.kind === 'warning')!;
  assert.match(w.message, /above the link's 1250 MB\/s/);
  assert.ok(above.downtimeMs! > above.downtimeLimitMs, 'real downtime exceeds the limit');

  const stop = analyse(busy({ 'avail-switchover-bandwidth': -1 }));
  assert.equal(stop.converged, true);
  assert.ok(stop.switchoverSeconds! < 0.5, `switched at ${stop.switchoverSeconds}`);
  assert.ok(stop.downtimeMs! > 3000, 'all RAM copied with the VM stopped');
  assert.ok(stop.recommendations.some((r) => r.kind === 'warning' && /stop-and-copy/.test(r.message)));
  assert.equal(simulate(busy({ 'avail-switchover-bandwidth': 2 ** 64 })).downtimeMs, stop.downtimeMs);
});

test('long runs are capped and their windows decimated, and the result says so', () => {
  const r = simulate({ ...busy(), maxSeconds: 1e9 });
  assert.equal(r.simulatedSeconds! <= HARD_CAP_SECONDS + 1, true);
  assert.ok(r.windows.length <= 1002, `${r.windows.length} windows`);
  assert.ok(r.windowStride! > 1);
  assert.ok(r.notes!.some((n) => /cap/.test(n)) && r.notes!.some((n) => /every \d+th window/.test(n)));
});

test('scenarioFromInputs fills the documented workload defaults; overrides win; absent values never hide defaults', () => {
  const s = scenarioFromInputs(
    {
      qemuVersion: '8.2',
      parameters: { 'downtime-limit': 500 },
      capabilities: { 'auto-converge': true },
      guest: { ramBytes: 8 * GiB, workingSetBytes: undefined },
      sources: [],
    },
    { guest: { dirtyBytesPerSecond: 1e6 }, parameters: { 'max-bandwidth': 0 } },
  );
  assert.equal(s.qemuVersion, '8.2');
  assert.deepEqual(s.guest, { ...DEFAULT_GUEST, ramBytes: 8 * GiB, dirtyBytesPerSecond: 1e6 });
  assert.deepEqual(s.link, DEFAULT_LINK);
  assert.deepEqual(s.parameters, { 'downtime-limit': 500, 'max-bandwidth': 0 });
  assert.deepEqual(s.capabilities, { 'auto-converge': true });
  assert.equal(simulate(s).converged, true);
});

test('a sweep agrees with single simulations cell by cell, and rejects axes the version lacks', () => {
  const x = { parameter: 'avail-switchover-bandwidth' as const, values: [0, 200e6, 700e6, 1.25e9] };
  const y = { parameter: 'downtime-limit' as const, values: [100, 300, 1000] };
  const grid = sweep(busy({}, 200), x, y);
  y.values.forEach((dl, j) =>
    x.values.forEach((asb, i) => {
      const single = simulate(busy({ 'avail-switchover-bandwidth': asb, 'downtime-limit': dl }, 200));
      assert.equal(grid.converged[j][i], single.converged, `asb ${asb}, downtime-limit ${dl}`);
      assert.equal(grid.switchoverSeconds[j][i] === null, single.switchoverSeconds === null);
    }),
  );
  assert.ok(grid.converged.flat().some(Boolean) && !grid.converged.flat().every(Boolean), 'the grid has both verdicts');
  assert.throws(
    () => sweep({ ...busy(), qemuVersion: '8.0' }, x, y),
    (e: unknown) => e instanceof ScenarioError && e.field === 'x.parameter',
  );
  assert.throws(
    () => sweep(busy(), { ...x, values: [NaN] }, y),
    (e: unknown) => e instanceof ScenarioError && e.field === 'x.values[0]',
  );
});

test('random scenarios: a result without NaN or an error naming a field, never anything else', () => {
  const num = fc.oneof(fc.double({ noNaN: false }), fc.integer(), fc.constantFrom(0, -1, 2 ** 64, 4096, 1e9, 0.5));
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const scenario = fc.record({
    qemuVersion: maybe(fc.constantFrom('7.2', '8.0', '8.2', '9.0', '9.2', '10.0', '10.1', '10.2', '11.0', 'x')),
    guest: fc.record({
      ramBytes: fc.oneof(num, fc.integer({ min: 1, max: 2 ** 36 })),
      workingSetBytes: fc.oneof(num, fc.integer({ min: 0, max: 2 ** 28 })),
      dirtyBytesPerSecond: num,
      zeroPageFraction: maybe(fc.double({ min: 0, max: 1 })),
      vcpus: maybe(fc.integer({ min: 0, max: 64 })),
    }),
    link: fc.record({ bytesPerSecond: fc.oneof(num, fc.constant(1.25e9)), sendingEfficiency: maybe(fc.double({ min: 0, max: 1 })) }),
    parameters: fc.dictionary(
      fc.constantFrom('downtime-limit', 'max-bandwidth', 'avail-switchover-bandwidth', 'cpu-throttle-initial', 'multifd-channels', 'xbzrle-cache-size'),
      num,
    ),
    capabilities: fc.dictionary(fc.constantFrom('auto-converge', 'dirty-limit', 'multifd', 'xbzrle', 'postcopy-ram'), fc.boolean()),
    maxSeconds: fc.constantFrom(1, 10, 60),
  });
  fc.assert(
    fc.property(scenario, (s) => {
      try {
        const r = simulate(s as Scenario);
        assert.doesNotMatch(JSON.stringify(r), /NaN|Infinity/);
        assert.ok(r.simulatedSeconds! < 3600, `ran ${r.simulatedSeconds} s for maxSeconds ${s.maxSeconds}`);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        assert.ok(e.field.length > 0 && e.message.length > 10);
      }
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('zero pages: nearly free to send, unless zero-page-detection is none', () => {
  const s: Scenario = { ...small(), guest: { ...small().guest, zeroPageFraction: 0.9, dirtyBytesPerSecond: 0 }, parameters: { 'max-bandwidth': 0 } };
  const detected = simulate(s);
  const none = simulate({ ...s, parameters: { ...s.parameters, 'zero-page-detection': 'none' } });
  assert.ok(none.transferredBytes > 5 * detected.transferredBytes, `${none.transferredBytes} vs ${detected.transferredBytes}`);
  assert.ok(none.switchoverSeconds! > detected.switchoverSeconds!);
});

test('the reason names the orchestrator deadline a late switchover misses, and an unfinished first pass', () => {
  const slow: Scenario = {
    qemuVersion: '10.2',
    guest: { ramBytes: GiB, workingSetBytes: 0, dirtyBytesPerSecond: 0, zeroPageFraction: 0, vcpus: 1 },
    link: { bytesPerSecond: 1.25e9, sendingEfficiency: 0.005 },
    parameters: {},
    capabilities: {},
    maxSeconds: 600,
  };
  const late = simulate(slow);
  assert.equal(late.converged, true);
  assert.ok(late.switchoverSeconds! > 150);
  assert.match(late.reason, /after the orchestrators' deadlines: KubeVirt cancels at 150 s/);
  const unfinished = simulate({ ...slow, maxSeconds: 60 });
  assert.match(unfinished.reason, /first pass has not finished \(\d+ MB of 1074 MB still to send/);
  const held = simulate({ ...small(), capabilities: { 'switchover-ack': true, 'return-path': true }, switchoverAckSeconds: 1e6 });
  assert.equal(held.converged, false);
  assert.match(held.reason, /had not acknowledged the switchover/);
});
