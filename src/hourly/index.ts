export { runHourly, type HourlyDeps, type HourlyOptions, type HourlyResult } from './run-hourly.js';
