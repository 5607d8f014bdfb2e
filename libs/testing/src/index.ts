export * from './expect-eventually';
export * from './unique-namespace';
export * from './test-env';
export * from './test-database';
export * from './readme-env-table';
export * from './ingest-keys';
export * from './hostile-json';
export * from './expect-problem';
