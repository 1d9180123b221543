/**
 * Look up or compute a remembered value. Keys that come from documents (a version
 * string in a header, a misspelt name) are unbounded, so the map forgets everything
 * once it holds `max` keys: a long editing session or a fuzz run cannot grow it.
 */
export function remember<K, V>(map: Map<K, V>, key: K, compute: () => V, max = 1000): V {
  if (map.has(key)) return map.get(key)!;
  if (map.size >= max) map.clear();
  const value = compute();
  map.set(key, value);
  return value;
}
