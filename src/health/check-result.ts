/** One line of `check`: what was checked, whether it passed, and the fix when it did not. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** A warning does not fail `check` (exit code stays 0). */
  warning?: boolean;
}

export function pass(name: string, detail: string): CheckResult {
  return { name, ok: true, detail };
}

export function fail(name: string, detail: string, fix: string): CheckResult {
  return { name, ok: false, detail, fix };
}

export function warn(name: string, detail: string, fix: string): CheckResult {
  return { name, ok: true, warning: true, detail, fix };
}

/** Plain lines for people: `PASS`/`WARN`/`FAIL`, then the fix indented below a failure. */
export function formatCheckResults(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => {
      const tag = !r.ok ? 'FAIL' : r.warning ? 'WARN' : 'PASS';
      const line = `${tag}  ${r.name.padEnd(width)}  ${r.detail}`;
      return r.fix && (!r.ok || r.warning) ? `${line}\n      fix: ${r.fix}` : line;
    })
    .join('\n') + '\n';
}

/** What `check --json` prints: the verdict and every check, keys in the style of `status --json`. */
export interface CheckReport {
  ok: boolean;
  server: string | null;
  failed: number;
  warnings: number;
  checks: Array<{ name: string; ok: boolean; warning: boolean; detail: string; fix: string | null }>;
}

/** Pure: the report of `check --json`; `server` is null when the settings could not be read. */
export function summarizeChecks(server: string | null, results: readonly CheckResult[]): CheckReport {
  const failed = results.filter((r) => !r.ok).length;
  return {
    ok: failed === 0,
    server,
    failed,
    warnings: results.filter((r) => r.warning === true).length,
    checks: results.map((r) => ({ name: r.name, ok: r.ok, warning: r.warning === true, detail: r.detail, fix: r.fix ?? null })),
  };
}
