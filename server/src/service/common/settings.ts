// Settings as the service sees them, already validated (see normalizeSettings):
// a nonsense value from the user's settings.json becomes the default plus a warning.

export interface Settings {
  /** 'auto' or a version such as '7.2', '10.2'. */
  qemuVersion: string;
  /** Absolute path of the QAPI root schema, or '' to find it from the file. */
  schemaRoot: string;
  /** Absolute path of a saved query-qmp-schema reply, or ''. */
  introspectionFile: string;
  maxItemsComputed: number;
}

export const defaultSettings: Settings = {
  qemuVersion: 'auto',
  schemaRoot: '',
  introspectionFile: '',
  maxItemsComputed: 5000,
};

/** Accepts anything (user JSON); returns usable settings and what was wrong with the input. */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings = { ...defaultSettings };
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const v = r.qemuVersion;
  if (v !== undefined) {
    if (typeof v === 'string' && /^(auto|\d+\.\d+)$/.test(v.trim())) settings.qemuVersion = v.trim();
    else problems.push(`qapi.qemuVersion: ${JSON.stringify(v)} is not "auto" or a version like "8.2"; using "auto".`);
  }
  for (const key of ['schemaRoot', 'introspectionFile'] as const) {
    const s = r[key];
    if (s === undefined || s === null) continue;
    if (typeof s === 'string') settings[key] = s.trim();
    else problems.push(`qapi.${key}: expected a path string, got ${typeof s}; ignored.`);
  }
  const m = r.maxItemsComputed;
  if (m !== undefined) {
    if (typeof m === 'number' && Number.isFinite(m) && m >= 1) settings.maxItemsComputed = Math.floor(m);
    else problems.push(`qapi.maxItemsComputed: ${JSON.stringify(m)} is not a positive number; using ${defaultSettings.maxItemsComputed}.`);
  }
  return { settings, problems };
}
