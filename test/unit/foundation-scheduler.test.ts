// Debounced, version-checked publishing, and diagnostics routed to the files they belong to.
// Time is node:test's mock clock: the debounce is stepped exactly, never waited for.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { ValidationScheduler } from '../../server/src/lsp/validationScheduler';

function harness() {
  const versions = new Map<string, number>();
  const published: { uri: string; diagnostics: unknown[] }[] = [];
  let runs = 0;
  let result = (uri: string) =>
    new Map<string, unknown[]>([
      [uri, [`v${versions.get(uri)}`]],
      ['file:///root.json', [`from ${uri}`]],
    ]);
  const s = new ValidationScheduler(
    {
      versionOf: (uri) => versions.get(uri),
      validate: (uri) => {
        runs++;
        return result(uri);
      },
      publish: (uri, diagnostics) => published.push({ uri, diagnostics }),
    },
    20,
  );
  return {
    s,
    versions,
    published,
    runs: () => runs,
    setResult: (f: typeof result) => {
      result = f;
    },
  };
}
/** Moves the mock clock on by `ms`, running the timers that fall due. */
const settle = (ms: number) => mock.timers.tick(ms);

describe('ValidationScheduler', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('a burst of changes validates once, with the last version, after the delay', () => {
    const h = harness();
    for (let v = 1; v <= 10; v++) {
      h.versions.set('file:///a.json', v);
      h.s.schedule('file:///a.json');
      settle(19); // each change within the 20 ms delay of the previous one
    }
    assert.equal(h.runs(), 0, 'nothing runs while changes keep coming');
    settle(1);
    assert.equal(h.runs(), 1);
    assert.deepEqual(h.published.find((p) => p.uri === 'file:///a.json')?.diagnostics, ['v10']);
    h.s.dispose();
  });

  test('diagnostics for another file are published under that file and cleared on close', () => {
    const h = harness();
    h.versions.set('file:///a.json', 1);
    h.s.schedule('file:///a.json', 0);
    settle(0);
    assert.deepEqual(h.published.filter((p) => p.uri === 'file:///root.json').at(-1)?.diagnostics, ['from file:///a.json']);
    h.s.forget('file:///a.json');
    assert.deepEqual(h.published.filter((p) => p.uri === 'file:///root.json').at(-1)?.diagnostics, []);
    assert.deepEqual(h.published.filter((p) => p.uri === 'file:///a.json').at(-1)?.diagnostics, []);
  });

  test('a result that went stale while computing is dropped', () => {
    const h = harness();
    h.versions.set('file:///a.json', 1);
    h.setResult((uri) => {
      h.versions.set(uri, 2);
      return new Map([[uri, ['stale']]]);
    });
    h.s.schedule('file:///a.json', 0);
    settle(0);
    assert.equal(h.runs(), 1);
    assert.equal(h.published.length, 0);
  });

  test('a closed document is not validated', () => {
    const h = harness();
    h.s.schedule('file:///gone.json', 0);
    settle(0);
    assert.equal(h.runs(), 0);
  });

  test('a cancelled run never happens, and dispose stops every pending one', () => {
    const h = harness();
    h.versions.set('file:///a.json', 1);
    h.versions.set('file:///b.json', 1);
    h.s.schedule('file:///a.json');
    h.s.cancel('file:///a.json');
    h.s.schedule('file:///b.json');
    h.s.dispose();
    settle(1000);
    assert.equal(h.runs(), 0);
  });
});
