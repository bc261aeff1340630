export * from './spool-path.js';
export * from './state-file.js';
