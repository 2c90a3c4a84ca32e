export * from './analysis.schema';
export * from './structure.schema';
