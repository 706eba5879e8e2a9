// The web-standard globals that every runtime of the pure code has (Node 20, browsers, workers),
// declared here because the pure projects get neither the DOM nor Node's types.
declare const performance: { now(): number };
declare function structuredClone<T>(value: T): T;
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
