export * from './schema';
export * from './units';
export * from './document';
export * from './results';
