import { readFile } from 'node:fs/promises';
import cron from 'node-cron';
import type { z } from 'zod';
import { settingsSchema, type Settings } from './schema.js';
import { assertSecretFileMode } from '../platform/secret-file.js';
import { describeOverlap, pathOverlaps, realPathOfExisting, SEPARATE_FOLDER_KEYS, type PathOverlap } from './path-overlap.js';
import { DAY_MS } from '../platform/time.js';

/** Default settings location (DESIGN 10); SAMPLED_STREAM_CONFIG overrides it. */
export const DEFAULT_CONFIG_PATH = '/etc/sampled-stream/server_settings.json';

export interface SettingsProblem {
  key: string;
  message: string;
}

/** Invalid settings: every problem in one error, one line each; the CLI maps it to exit code 2. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly SettingsProblem[],
  ) {
    super(
      `Cannot load settings from ${file}:\n` + problems.map((p) => `  '${p.key}' ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** The commands whose needs decide which sections must be complete (DESIGN 9). */
export type SettingsUse = 'stream' | 'sync' | 'hourly' | 'upload' | 'report' | 'watch' | 'check' | 'any';

/** Drops keys named "//" at any depth: they are comments. */
export function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '//')
      .map(([key, inner]) => [key, stripComments(inner)]),
  );
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = doc;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function keyOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Keys that moved to another section: a clear rename instead of "not a known setting". */
const MOVED_KEYS: Readonly<Record<string, string>> = { 'email.disk_free_alert_gb': 'alerts.min_free_gb' };

function unknownKeyMessage(key: string): string {
  const movedTo = MOVED_KEYS[key];
  return movedTo === undefined
    ? 'is not a known setting: remove it or fix its spelling (server_settings.example.json lists every key)'
    : `has moved to ${movedTo}: rename it there (same value, in GB)`;
}

function problemsFromZod(doc: unknown, issues: readonly z.core.$ZodIssue[]): SettingsProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const name = keyOf([...issue.path, key]);
        return { key: name, message: unknownKeyMessage(name) };
      });
    }
    const actual = valueAt(doc, issue.path);
    if (issue.code === 'invalid_type' && issue.expected === 'object') return [sectionProblem(issue.path, actual)];
    return [
      {
        key: keyOf(issue.path),
        message:
          actual === undefined
            ? `is missing: add it (it ${issue.message})`
            : `${issue.message}: current value is ${describe(actual)}`,
      },
    ];
  });
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value}`;
}

/** A section (or the whole file) that is absent or not a JSON object, in words an operator can act on. */
function sectionProblem(path: readonly PropertyKey[], actual: unknown): SettingsProblem {
  const example = 'server_settings.example.json shows every section and key';
  if (path.length === 0) {
    return {
      key: '(file)',
      message: `must hold one JSON object { "server": ..., "paths": { ... }, ... }, but it holds ${kindOf(actual)}: ${example}`,
    };
  }
  const key = keyOf(path);
  return {
    key,
    message:
      actual === undefined
        ? `is missing: add the section "${key}": { ... } (${example})`
        : `must be a section, a JSON object { ... }, but it is ${kindOf(actual)}: ${example}`,
  };
}

/** Whole-hour offsets only: labels are hours (DESIGN 3.3). */
export function timeZoneProblem(zone: string): string | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  } catch {
    return 'must be an IANA time zone such as "UTC" or "Europe/Berlin"';
  }
  const start = Date.UTC(1990, 0, 1);
  for (let t = start; t < Date.UTC(2040, 0, 1); t += 7 * DAY_MS) {
    const name = format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/:(?!00)\d{2}$/.test(name)) return `must have whole-hour UTC offsets (it has ${name})`;
  }
  return undefined;
}

function requireKeys(
  section: Record<string, unknown>,
  prefix: string,
  keys: readonly string[],
  why: string,
): SettingsProblem[] {
  return keys
    .filter((key) => section[key] === undefined || section[key] === null)
    .map((key) => ({ key: `${prefix}.${key}`, message: `is missing: add it (required ${why})` }));
}

function overlapProblems(overlaps: readonly PathOverlap[]): SettingsProblem[] {
  return overlaps.map((overlap) => ({ key: overlap.keys[0], message: describeOverlap(overlap) }));
}

function crossChecks(settings: Settings, use: SettingsUse): SettingsProblem[] {
  const problems: SettingsProblem[] = overlapProblems(pathOverlaps(settings.paths));
  const tzProblem = timeZoneProblem(settings.hourly.output_timezone);
  if (tzProblem) {
    problems.push({
      key: 'hourly.output_timezone',
      message: `${tzProblem}: current value is ${JSON.stringify(settings.hourly.output_timezone)}`,
    });
  }
  for (const [job, expression] of Object.entries(settings.schedule)) {
    if (!cron.validate(expression)) {
      problems.push({
        key: `schedule.${job}`,
        message: `must be a cron expression like "*/5 * * * *": current value is ${JSON.stringify(expression)}`,
      });
    }
  }
  const needsSync = settings.server === 'server2' && (use === 'sync' || use === 'check');
  if (needsSync) {
    const sync = settings.sync as unknown as Record<string, unknown>;
    problems.push(
      ...(settings.sync.transport === 'local'
        ? requireKeys(sync, 'sync', ['local_target'], 'by sync with transport "local"')
        : requireKeys(
            sync,
            'sync',
            ['host', 'username', 'private_key_file', 'known_hosts_file', 'remote_spool'],
            'by sync over SFTP on server2',
          )),
    );
  }
  if (settings.osf.enabled) {
    problems.push(
      ...requireKeys(settings.osf as Record<string, unknown>, 'osf', ['project_id', 'token_file'], 'when osf.enabled'),
    );
  }
  if (settings.email.enabled) {
    const email = settings.email as Record<string, unknown>;
    problems.push(...requireKeys(email, 'email', ['smtp_host', 'from', 'to'], 'when email.enabled'));
    if (settings.email.to?.length === 0) {
      problems.push({ key: 'email.to', message: 'must list at least one address when email.enabled' });
    }
    if (settings.email.username !== null && settings.email.password_file === null) {
      problems.push({ key: 'email.password_file', message: 'is missing: add it (required when email.username is set)' });
    }
  }
  return problems;
}

/** Validates an already parsed settings document; throws ConfigError listing every problem. */
export function parseSettings(doc: unknown, file: string, use: SettingsUse = 'any'): Settings {
  const cleaned = stripComments(doc);
  const result = settingsSchema.safeParse(cleaned);
  if (!result.success) throw new ConfigError(file, problemsFromZod(cleaned, result.error.issues));
  const problems = crossChecks(result.data, use);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return result.data;
}

/** Reads and validates the settings file for one command (DESIGN 9). */
export async function loadSettings(file: string, use: SettingsUse = 'any'): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ConfigError(file, [
      { key: '--config', message: `cannot be read (${code}): pass --config <file> or set SAMPLED_STREAM_CONFIG` },
    ]);
  }
  let doc: unknown;
  try {
    // Windows editors save UTF-8 with a byte order mark; JSON.parse refuses it, so it is dropped.
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(file, [{ key: '(file)', message: `is not valid JSON: ${(err as Error).message}` }]);
  }
  const settings = parseSettings(doc, file, use);
  await assertSeparateRealFolders(settings, file);
  return settings;
}

/** The folders as written are apart (parseSettings checked); symlinks of existing parts may still join them. */
async function assertSeparateRealFolders(settings: Settings, file: string): Promise<void> {
  const real = Object.fromEntries(
    await Promise.all(SEPARATE_FOLDER_KEYS.map(async (key) => [key, await realPathOfExisting(settings.paths[key])])),
  ) as Record<(typeof SEPARATE_FOLDER_KEYS)[number], string>;
  const problems = overlapProblems(pathOverlaps(settings.paths, real));
  if (problems.length > 0) throw new ConfigError(file, problems);
}

/** The secret files a command reads, as [settings key, path]. */
export function secretFilesFor(settings: Settings, use: SettingsUse): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const all = use === 'check' || use === 'any';
  if (use === 'stream' || use === 'watch' || all) files.push(['x_api.bearer_token_file', settings.x_api.bearer_token_file]);
  if ((use === 'sync' || all) && settings.server === 'server2' && settings.sync.private_key_file) {
    files.push(['sync.private_key_file', settings.sync.private_key_file]);
  }
  if (settings.osf.enabled && settings.osf.token_file && use !== 'stream' && use !== 'sync') {
    files.push(['osf.token_file', settings.osf.token_file]);
  }
  if (settings.email.enabled && settings.email.password_file) files.push(['email.password_file', settings.email.password_file]);
  return files;
}

/** Refuses to start when a secret file the command uses is readable by group or others (like ssh). */
export async function assertSecretFiles(settings: Settings, use: SettingsUse): Promise<void> {
  for (const [key, path] of secretFilesFor(settings, use)) await assertSecretFileMode(key, path);
}
