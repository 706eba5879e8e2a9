// The notebook renderer `sdnb-renderer`: draws mermaid cells (`application/vnd.sdnb.mermaid+json`),
// kernel reports (estimate, gateway, kafka) with their diagrams and charts, and errors.
// Mermaid itself is imported lazily on the first diagram.
import type { ErrorData } from '../../src/kernels/output';
import { ERROR_MIME, richMime } from '../../src/kernels/types';
import type { Report } from '../../src/kernels/report';
import { DiagramView, DiagramViewOptions, el } from '../shared/diagramView';
import type { DiagnosticClearMessage, DiagnosticMessage, ExportRequest, WebviewToHost } from '../shared/messages';
import { ReportView, renderError, renderReport } from '../shared/report';
import { injectStyles } from '../shared/styles';
import type { ActivationFunction, OutputItem, RendererContext } from './api';

const MERMAID_MIME = richMime('mermaid');
/** Every other kernel's rich output is a report (application/vnd.sdnb.<kind>+json, see KernelSpec.outputKind). */
const isReportMime = (mime: string) => /^application\/vnd\.sdnb\.[a-z0-9-]+\+json$/.test(mime);

interface Rendered {
  views: DiagramView[];
  /** The cell's own diagram (mermaid MIME), the one export and diagnostics refer to. */
  main?: DiagramView;
  report?: ReportView;
  element: HTMLElement;
}

export const activate: ActivationFunction = (ctx: RendererContext) => {
  const outputs = new Map<string, Rendered>();
  const post = (m: WebviewToHost) => ctx.postMessage?.(m);
  const canExport = typeof ctx.postMessage === 'function';

  const diagramOptions = (extra: DiagramViewOptions = {}): DiagramViewOptions => ({
    toolbar: true,
    onExport: canExport ? (m) => post(m) : undefined,
    ...extra,
  });

  ctx.onDidReceiveMessage?.(async (e) => {
    const m = e as ExportRequest | undefined;
    if (m?.type !== 'exportRequest') return;
    const candidates = [...outputs.values()].map((o) => o.main).filter((v): v is DiagramView => !!v);
    const view = candidates.filter((v) => m.source === undefined || v.currentSource === m.source).pop();
    const message = await view?.exportAs(m.format);
    post(message ?? { type: 'exportFailed', message: 'That diagram is not drawn (yet, or it has an error).' });
  });

  function dispose(id: string): void {
    const r = outputs.get(id);
    if (!r) return;
    for (const v of r.views) v.dispose();
    r.report?.dispose();
    outputs.delete(id);
  }

  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
      dispose(item.id);
      element.textContent = '';
      const root = element.getRootNode();
      injectStyles(root instanceof ShadowRoot ? root : document);
      const wrapper = el('div', 'sdnb-out');
      element.append(wrapper);
      const rendered: Rendered = { views: [], element };
      outputs.set(item.id, rendered);
      const makeDiagram = (host: HTMLElement, source: string, options?: DiagramViewOptions) => {
        const v = new DiagramView(host, diagramOptions(options));
        v.setSourceSilently(source);
        rendered.views.push(v);
        return v;
      };
      // An aborted render is superseded or removed; never let a late abort dispose a newer render.
      signal.addEventListener('abort', () => outputs.get(item.id) === rendered && dispose(item.id));

      try {
        if (item.mime === MERMAID_MIME) {
          const { source } = item.json() as { source: string };
          const view = makeDiagram(wrapper, String(source ?? ''), {
            // Only a cell's own diagram has lines in a cell to go to.
            onReveal: canExport ? ({ line, column }, v) => post({ type: 'reveal', line, column, source: v.currentSource }) : undefined,
            onResult: (error) => {
              const base = { outputId: item.id, source: view.currentSource };
              post(
                error
                  ? ({ type: 'diagnostic', ...base, ...error } satisfies DiagnosticMessage)
                  : ({ type: 'diagnostic-clear', ...base } satisfies DiagnosticClearMessage),
              );
            },
          });
          rendered.main = view;
          await view.render();
        } else if (item.mime === ERROR_MIME) {
          const error = item.json() as ErrorData;
          renderError(
            error,
            wrapper,
            canExport
              ? (d) =>
                  post({
                    type: 'reveal',
                    line: d.line,
                    column: d.column,
                    error: { title: error.title, message: error.message, diagnostic: d.message },
                  })
              : undefined,
          );
        } else if (isReportMime(item.mime)) {
          rendered.report = await renderReport(item.json() as Report, wrapper, makeDiagram);
          if (outputs.get(item.id) !== rendered) rendered.report.dispose(); // disposed while drawing
        } else {
          const pre = el('pre');
          pre.textContent = item.text();
          wrapper.append(pre);
        }
      } catch (err) {
        renderError({ title: 'Could not draw this output', message: String((err as Error)?.message ?? err) }, wrapper);
      }
    },
    disposeOutputItem(id?: string) {
      if (id) dispose(id);
      else for (const key of [...outputs.keys()]) dispose(key);
    },
  };
};
