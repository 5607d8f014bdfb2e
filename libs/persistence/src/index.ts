export * from './lib/data-source';
export * from './lib/persistence.module';
