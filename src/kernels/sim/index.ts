export * from './random';
export * from './eventQueue';
export * from './environment';
export * from './stats';
export * from './ci';
export * from './queueing';
export * from './budget';
