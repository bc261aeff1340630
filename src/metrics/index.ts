export * from './metrics-server.js';
export * from './stream-metrics.js';
