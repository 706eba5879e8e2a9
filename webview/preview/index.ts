// The "Preview Diagram" panel's script: draws the mermaid cell (or .mmd/.mermaid file) the host
// sends, as you type. Newer sources supersede queued renders; a parse error keeps the last good
// drawing visible under the message. Controls are @vscode-elements/elements components.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import { DiagramView } from '../shared/diagramView';
import type { HostToWebview, WebviewToHost } from '../shared/messages';
import { injectStyles } from '../shared/styles';
import { THEME_LABELS, ThemeKind } from '../shared/theme';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
}
/** Kept across reloads: the theme picked, and which document is on show (the host restores it). */
interface PreviewState {
  theme: ThemeKind | 'auto';
  uri?: string;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let theme: ThemeKind | 'auto' = vscode.getState()?.theme ?? 'auto';
let uri = vscode.getState()?.uri ?? '';

injectStyles(document);
const toolbar = document.getElementById('toolbar')!;
const title = document.getElementById('title')!;
const host = document.getElementById('diagram')!;

const view = new DiagramView(host, {
  toolbar: false,
  keepLastOnError: true,
  announceErrors: true,
  theme: () => (theme === 'auto' ? undefined : theme),
  onReveal: ({ line, column }) => vscode.postMessage({ type: 'reveal', uri, line, column }),
  onResult: (error, v) => {
    const base = { uri, source: v.currentSource };
    vscode.postMessage(error ? { type: 'diagnostic', ...base, ...error } : { type: 'diagnostic-clear', ...base });
  },
});

function button(label: string, titleText: string, run: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = titleText;
  b.setAttribute('aria-label', titleText);
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', run);
  toolbar.append(b);
  return b;
}

button('−', 'Zoom out', () => view.zoomBy(0.8));
button('+', 'Zoom in', () => view.zoomBy(1.25));
button('1:1', 'Reset zoom', () => view.resetZoom());

const select = document.createElement('vscode-single-select') as HTMLElement & { value: string };
select.title = 'Diagram theme';
select.setAttribute('aria-label', 'Diagram theme');
for (const [value, label] of [['auto', 'Theme: follow VS Code'], ...Object.entries(THEME_LABELS)]) {
  const o = document.createElement('vscode-option') as HTMLElement & { value: string };
  o.setAttribute('value', value);
  o.textContent = label;
  if (value === theme) o.setAttribute('selected', '');
  select.append(o);
}
select.addEventListener('change', () => {
  theme = (select.value as ThemeKind | 'auto') || 'auto';
  vscode.setState({ theme, uri });
  void view.render();
});
toolbar.append(select);

const exportSvg = button('Export SVG…', 'Export the diagram as SVG', () => void doExport('svg'), false);
button('Export PNG…', 'Export the diagram as PNG', () => void doExport('png'));
exportSvg.classList.add('sdnb-export');

async function doExport(format: 'svg' | 'png'): Promise<void> {
  try {
    const message = await view.exportAs(format);
    vscode.postMessage(message ?? { type: 'exportFailed', message: 'There is no drawn diagram to export yet.' });
  } catch (err) {
    vscode.postMessage({ type: 'exportFailed', message: String((err as Error)?.message ?? err) });
  }
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  if (m?.type === 'render') {
    uri = m.uri;
    vscode.setState({ theme, uri });
    title.textContent = m.title;
    void view.setSource(m.source);
  } else if (m?.type === 'exportRequest') {
    void doExport(m.format);
  }
});

vscode.postMessage({ type: 'ready' });
