export * from './stream-metrics.js';
export * from './scheduler-metrics.js';
