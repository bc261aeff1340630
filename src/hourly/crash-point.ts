/**
 * A hook at a named step of ingest or publishing. Production runs pass none; the kill -9 and full-disk tests
 * have the CLI's composition root wire one (src/cli/test-crash-hooks.ts) that kills or fails the run there.
 */
export type CrashPoint = (step: string) => void;
