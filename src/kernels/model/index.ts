export * from './schema';
export * from './units';
export * from './document';
export * from './results';
export * from './sweep';
export * from './whatif';
export * from './cell';
