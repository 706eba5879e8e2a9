// Turns a drawn diagram into a file's contents. SVG: the live element serialised as XML (the
// string mermaid returns may hold HTML-only markup such as `<br>` inside labels). PNG: the SVG as a
// base64 `data:` URL drawn on a canvas; a `blob:` URL would taint the canvas when labels use
// `<foreignObject>`.

export type ExportFormat = 'svg' | 'png';

/** The message a webview posts to the host to save a diagram (data: SVG text or base64 PNG). */
export interface ExportMessage {
  type: 'export';
  format: ExportFormat;
  data: string;
  suggestedName: string;
  /** Whether the name is the diagram's own title (else the host puts the notebook's name before it). */
  titled?: boolean;
}

export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox?.baseVal;
  if (vb && vb.width > 0 && vb.height > 0) return { width: vb.width, height: vb.height };
  const r = svg.getBoundingClientRect();
  return { width: Math.max(1, r.width), height: Math.max(1, r.height) };
}

export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svgSize(svg);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  clone.style.removeProperty('max-width');
  clone.style.removeProperty('transform');
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** PNG as base64 (no `data:` prefix), at `scale` times the diagram's size, on `background`. */
export async function renderPng(svg: SVGSVGElement, background: string, scale = 2): Promise<string> {
  const { width, height } = svgSize(svg);
  const img = new Image();
  img.decoding = 'sync';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('The diagram could not be drawn as an image.'));
  });
  img.src = 'data:image/svg+xml;base64,' + toBase64(serializeSvg(svg));
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No canvas available to draw the PNG.');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** The diagram's title, if it has one (front matter `title:` or a `title` line). */
function titleOf(source: string): string | undefined {
  return /(?:^|\s)title\s*:?\s+(.+)$/m.exec(source)?.[1];
}

/** A file name for a kind of diagram: mermaid's id without its version (`flowchart-v2` → `flowchart`, `sequence` → `sequence-diagram`). */
export function diagramKindName(diagramType: string): string {
  const kebab = diagramType
    .replace(/-v\d+$/, '')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return /(diagram|chart|flowchart|graph|map)$/.test(kebab) ? kebab : `${kebab}-diagram`;
}

/** A file name from the diagram's title, else its kind. */
export function suggestedName(source: string, diagramType?: string): string {
  const base = (titleOf(source) ?? (diagramType ? diagramKindName(diagramType) : 'diagram'))
    .replace(/["']/g, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (base || 'diagram').slice(0, 60);
}

export async function exportMessage(
  svg: SVGSVGElement,
  format: ExportFormat,
  source: string,
  diagramType?: string,
): Promise<ExportMessage> {
  const background = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
  const data = format === 'svg' ? serializeSvg(svg) : await renderPng(svg, background);
  return { type: 'export', format, data, suggestedName: suggestedName(source, diagramType), titled: titleOf(source) !== undefined };
}
