export * from './columns.js';
export * from './compare-copies.js';
export * from './csv-record.js';
export * from './flatten.js';
export * from './tweet-key.js';
export * from './tweet-row.js';
export * from './user-row.js';
