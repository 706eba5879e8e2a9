// The part of VS Code's notebook renderer API (vscode-notebook-renderer) this renderer uses.

export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
}

export interface RendererContext<TState = unknown> {
  getState(): TState | undefined;
  setState(value: TState): void;
  readonly workspace: { readonly isTrusted: boolean };
  readonly settings?: { readonly lineLimit?: number };
  /** Present when the renderer's `requiresMessaging` allows it and a host is listening. */
  postMessage?(message: unknown): void;
  onDidReceiveMessage?(listener: (e: unknown) => void): { dispose(): void };
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction = (context: RendererContext) => RendererApi | Promise<RendererApi>;
