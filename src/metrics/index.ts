export * from './metrics-server.js';
export * from './stream-metrics.js';
export * from './scheduler-metrics.js';
