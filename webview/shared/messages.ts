// Messages between the webviews (notebook renderer, preview panel) and the extension host.
// Types only: imported by both sides.
import type { ExportFormat, ExportMessage } from './exportDiagram';

export type { ExportFormat, ExportMessage };

/** Mermaid's real parser rejected a diagram. line/column are zero-based, in the cell's text. */
export interface DiagnosticMessage {
  type: 'diagnostic';
  /** The renderer's output id (notebook renderer) — not visible to the extension API, so `source` identifies the cell. */
  outputId?: string;
  /** The preview's document (a `vscode-notebook-cell:` or file URI string). */
  uri?: string;
  source: string;
  line: number;
  column: number;
  message: string;
}

/** The diagram drew: clear any earlier render diagnostic for it. */
export interface DiagnosticClearMessage {
  type: 'diagnostic-clear';
  outputId?: string;
  uri?: string;
  source: string;
}

/**
 * The user clicked an error's `line:column`: put the cursor there. Zero-based, in the cell's text. The
 * renderer names the cell by what it shows: a diagram's `source`, or an error output's `title` and
 * `message`; the preview by its document's `uri`.
 */
export interface RevealMessage {
  type: 'reveal';
  line: number;
  column: number;
  source?: string;
  error?: { title: string; message: string; diagnostic: string };
  uri?: string;
}

export type WebviewToHost =
  | DiagnosticMessage
  | DiagnosticClearMessage
  | ExportMessage
  | RevealMessage
  | { type: 'ready' }
  | { type: 'exportFailed'; message: string };

/** Host → notebook renderer: export the diagram drawn from `source` (or the only/last one). */
export interface ExportRequest {
  type: 'exportRequest';
  format: ExportFormat;
  source?: string;
}

/** Host → preview: draw this source. */
export interface PreviewRender {
  type: 'render';
  source: string;
  uri: string;
  title: string;
}

export type HostToWebview = ExportRequest | PreviewRender;
