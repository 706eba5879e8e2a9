// Styles for everything the webviews draw, in VS Code's theme colours (CSS variables), so
// light, dark and high contrast themes all read well. Injected once per document.

export const CSS = `
.sdnb-out { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground); }
.sdnb-diagram { position: relative; margin: 4px 0; }
.sdnb-toolbar { display: flex; gap: 2px; justify-content: flex-end; opacity: 0.35; transition: opacity .15s; }
.sdnb-diagram:hover .sdnb-toolbar, .sdnb-diagram:focus-within .sdnb-toolbar { opacity: 1; }
.sdnb-button { font: inherit; font-size: 11px; min-width: 26px; padding: 1px 6px; cursor: pointer; border-radius: 2px;
  color: var(--vscode-button-secondaryForeground, var(--vscode-foreground)); background: var(--vscode-button-secondaryBackground, transparent);
  border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); }
.sdnb-button:hover { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-toolbar-hoverBackground)); }
.sdnb-button:focus-visible, .sdnb-viewport:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.sdnb-viewport { overflow: hidden; position: relative; cursor: grab; touch-action: none; }
.sdnb-viewport.sdnb-panning { cursor: grabbing; }
.sdnb-content { transform-origin: 0 0; width: 100%; }
.sdnb-content > svg { display: block; margin: 0 auto; height: auto; }
.sdnb-diagram-error, .sdnb-error { border-left: 3px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); padding: 6px 10px;
  background: var(--vscode-inputValidation-errorBackground, transparent); color: var(--vscode-foreground); margin: 4px 0; }
.sdnb-diagram-error-head, .sdnb-error-title { font-weight: 600; color: var(--vscode-errorForeground); }
.sdnb-diagram-error-message { margin: 4px 0 0; white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
.sdnb-pos { font-family: var(--vscode-editor-font-family, monospace); font-weight: 600; }
.sdnb-pos-link { font-size: inherit; color: var(--vscode-textLink-foreground); background: none; border: none; padding: 0; cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
.sdnb-pos-link:hover { color: var(--vscode-textLink-activeForeground, var(--vscode-textLink-foreground)); }
.sdnb-pos-link:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.sdnb-error-list { margin: 6px 0 0; padding-left: 18px; }
.sdnb-sev-warning .sdnb-pos { color: var(--vscode-editorWarning-foreground); }
.sdnb-report-head { display: flex; align-items: baseline; gap: 12px; margin: 2px 0 8px; }
.sdnb-report-title { font-size: 1.15em; font-weight: 600; flex: 1; }
.sdnb-level-pass { --sdnb-level: var(--vscode-testing-iconPassed, var(--vscode-charts-green, #388a34)); }
.sdnb-level-marginal { --sdnb-level: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow, #bf8803)); }
.sdnb-level-fail { --sdnb-level: var(--vscode-errorForeground, var(--vscode-charts-red, #e51400)); }
.sdnb-verdict { border-left: 4px solid var(--sdnb-level); padding: 4px 10px; margin: 0 0 8px;
  background: var(--vscode-textBlockQuote-background, transparent); }
.sdnb-verdict-line { font-size: 1.1em; font-weight: 600; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.sdnb-verdict-badge { color: var(--sdnb-level); white-space: nowrap; text-transform: uppercase; font-size: .85em; letter-spacing: .03em; }
.sdnb-verdict-items { margin: 4px 0 0; padding: 0; list-style: none; }
.sdnb-verdict-items li { margin: 2px 0; }
.sdnb-level-mark { color: var(--sdnb-level); font-weight: 700; display: inline-block; width: 1.1em; }
.sdnb-metric.sdnb-level-marginal, .sdnb-metric.sdnb-level-fail { border-left: 4px solid var(--sdnb-level); }
.sdnb-metric.sdnb-level-marginal .sdnb-metric-label, .sdnb-metric.sdnb-level-fail .sdnb-metric-label { opacity: 1; }
.sdnb-fold { margin: 0; }
.sdnb-fold-summary { cursor: pointer; font-weight: 600; padding: 3px 2px; border-radius: 2px; }
.sdnb-fold-summary:hover { background: var(--vscode-list-hoverBackground); }
.sdnb-fold-summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.sdnb-fold-body { padding: 6px 0 2px 14px; border-left: 1px solid var(--vscode-tree-indentGuidesStroke, var(--vscode-widget-border, rgba(128,128,128,.35))); margin-left: 5px; }
.sdnb-fold-body > .sdnb-block:last-child { margin-bottom: 4px; }
.sdnb-block-fold { margin-bottom: 4px; }
.sdnb-chart { margin: 0; max-width: 900px; }
.sdnb-chart-data { margin: 2px 0 0; font-size: .92em; }
.sdnb-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.sdnb-legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 2px; font-size: .92em; }
.sdnb-legend-item { display: inline-flex; align-items: center; gap: 5px; }
.sdnb-chart-svg { display: block; overflow: visible; font-size: 11px; font-variant-numeric: tabular-nums; }
.sdnb-chart-svg text { fill: var(--vscode-foreground); }
.sdnb-chart-svg .sdnb-axis-title { font-weight: 600; }
.sdnb-chart-svg .sdnb-grid { stroke: var(--vscode-charts-lines, rgba(128,128,128,.35)); stroke-opacity: .45; }
.sdnb-chart-svg .sdnb-baseline, .sdnb-chart-svg .sdnb-tick { stroke: var(--vscode-charts-lines, rgba(128,128,128,.6)); }
.sdnb-block { margin: 0 0 12px; }
.sdnb-block-title { font-weight: 600; margin: 0 0 4px; }
.sdnb-metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
.sdnb-metric { padding: 8px 10px; border-radius: 4px; border: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border, transparent));
  background: var(--vscode-editorWidget-background, transparent); }
.sdnb-metric-value { font-size: 1.35em; font-weight: 600; font-variant-numeric: tabular-nums; }
.sdnb-metric-label { opacity: .8; font-size: .9em; }
.sdnb-table-wrap { overflow-x: auto; }
.sdnb-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.sdnb-table th, .sdnb-table td { padding: 3px 10px; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-widget-border, rgba(128,128,128,.35))); text-align: left; }
.sdnb-table th { font-weight: 600; }
.sdnb-table .sdnb-r { text-align: right; }
.sdnb-table tbody tr:hover { background: var(--vscode-list-hoverBackground); }
.sdnb-note { opacity: .8; font-size: .9em; margin-top: 4px; }
.sdnb-notice { padding: 6px 10px; border-left: 3px solid var(--vscode-textLink-foreground); background: var(--vscode-textBlockQuote-background, transparent); }
.sdnb-notice-warning { border-left-color: var(--vscode-editorWarning-foreground); }
.sdnb-notice-error { border-left-color: var(--vscode-errorForeground); }
.sdnb-markdown a { color: var(--vscode-textLink-foreground); }
.sdnb-markdown code { font-family: var(--vscode-editor-font-family, monospace); background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
.sdnb-markdown pre code { display: block; padding: 6px 8px; overflow-x: auto; }
.sdnb-markdown table { border-collapse: collapse; }
.sdnb-markdown th, .sdnb-markdown td { padding: 2px 8px; border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.35)); }
`;

export function injectStyles(target: Document | ShadowRoot | HTMLElement = document): void {
  const parent = target instanceof Document ? target.head : target;
  if (parent.querySelector(':scope > style[data-sdnb]')) return;
  const style = document.createElement('style');
  style.dataset.sdnb = '';
  style.textContent = CSS;
  parent.prepend(style);
}
