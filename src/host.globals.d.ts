// The globals the extension host may use: those both of its runtimes have (Node 20 on the desktop,
// a Web Worker in VS Code for the Web). The host project gets neither Node's nor the DOM's types,
// so code that needs `Buffer`, `fs` or `document` fails to compile instead of failing on the web.
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(handler: () => void, ms?: number): unknown;
declare function clearInterval(handle: unknown): void;
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare function fetch(url: string): Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer>; text(): Promise<string> }>;
declare const console: { log(...data: unknown[]): void; warn(...data: unknown[]): void; error(...data: unknown[]): void };
