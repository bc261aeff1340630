export { verifyVault, formatProblem, type VerifyDeps, type VerifyReport } from './verify-vault.js';
export type { VerifyProblem } from './verify-day.js';
