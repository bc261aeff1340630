// Import rules for src/ (run by `npm run lint:deps`, part of `npm test`'s pretest).
// The swc parser is used because dependency-cruiser's TypeScript parser needs TypeScript's JS API,
// which TypeScript 7 no longer ships; tsPreCompilationDeps keeps type-only imports in the graph.
const STAGES = 'stream|sync|hourly|merge|osf|notify|verify|download|hydrate|health|scheduler|demo|emulator|cli';

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'No import circles, type-only imports included.', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'contracts-and-platform-import-no-stage',
      comment: 'Shared formats and helpers stand below every stage.',
      severity: 'error',
      from: { path: '^src/(contracts|platform)/' },
      to: { path: `^src/(${STAGES}|metrics|config|xapi)/` },
    },
    {
      name: 'daemons-import-no-metrics',
      comment: 'The CLI composition root hands stream and sync their metrics recorder.',
      severity: 'error',
      from: { path: '^src/(stream|sync)/' },
      to: { path: '^src/metrics/' },
    },
    {
      name: 'metrics-import-no-stage',
      severity: 'error',
      from: { path: '^src/metrics/' },
      to: { path: `^src/(${STAGES})/` },
    },
    { name: 'osf-imports-no-verify', severity: 'error', from: { path: '^src/osf/' }, to: { path: '^src/verify/' } },
    { name: 'merge-imports-no-hourly', comment: 'merge/ is the pure core of the hourly step.', severity: 'error', from: { path: '^src/merge/' }, to: { path: '^src/hourly/' } },
    {
      name: 'only-the-cli-wires-crash-hooks',
      comment: 'The test-only kill and full-disk hooks are injected by the CLI composition root, never imported by a stage.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/test-crash-hooks\\.ts$' },
    },
    {
      name: 'production-imports-no-test-code',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/|\\.test\\.ts$)' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
