// The last pass over a drawn diagram before it reaches a page, for what mermaid's strict mode and
// our DOMPurify configuration (mermaidRender.ts) let through: links to other sites from `click` and
// `link` directives, remote images, CSS in the diagram's stylesheet that fetches. It also holds
// every rule for markup that configuration already removes (forms, controls, frames, <base>), so
// nothing depends on which of mermaid's paths a label took. It runs in the notebook renderer, the
// preview and exported HTML pages alike (all three draw through mermaidRender.ts). The markup is
// parsed in an inert <template>, cleaned there, and handed over as nodes: never serialised and
// parsed again.

/** Removed with their content: they load, embed, submit or animate something. */
const DROP = new Set([
  'script',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'base',
  'meta',
  'link',
  'input',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'output',
  'audio',
  'video',
  'source',
  'track',
  'picture',
  'animate',
  'animatemotion',
  'animatetransform',
  'set',
  'discard',
]);

/** Replaced by their content: text inside them stays text. */
const UNWRAP = new Set(['form', 'button', 'label', 'fieldset', 'legend', 'dialog', 'details', 'summary', 'marquee', 'menu']);

/** Images: kept only when their source is a `data:image/` URL inside the diagram. */
const IMAGES = new Set(['img', 'image', 'feimage']);

/** Attributes holding a URL the browser may fetch or navigate to. */
const URL_ATTRS = new Set([
  'href',
  'xlink:href',
  'src',
  'srcset',
  'action',
  'formaction',
  'ping',
  'poster',
  'background',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'xml:base',
  'data',
  'codebase',
  'manifest',
]);

/** Attributes that only matter for navigation or submission. */
const NAVIGATION_ATTRS = new Set(['target', 'formtarget', 'download', 'rel', 'referrerpolicy']);

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface SanitizedDiagram {
  fragment: DocumentFragment;
  /** What was taken out, e.g. `<form>`, `a[href]`, `style url()`: for tests and debugging. */
  removed: string[];
}

/** CSS escapes (`\75 rl(`, `\(`) decoded, so a disguised `url(` is seen as one. */
export function decodeCssEscapes(css: string): string {
  return css.replace(/\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\([^\n0-9a-fA-F])/g, (_, hex: string | undefined, ch: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : ch!,
  );
}

/** CSS that fetches whatever its argument: `@import` and the image functions that take bare strings. */
const FETCHING_CSS = /@import|image-set\(|image\(|cross-fade\(|element\(|src\(/i;

/** Whether CSS can make the browser fetch something: any `url()` not pointing inside the document, or FETCHING_CSS. */
export function cssFetches(value: string): boolean {
  const css = decodeCssEscapes(value);
  if (FETCHING_CSS.test(css)) return true;
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))/gi)) {
    if (!(m[1] ?? m[2] ?? m[3] ?? '').trim().startsWith('#')) return true;
  }
  return false;
}

/** Only in-document fragments (`#id`) may be linked to. */
function isFragment(url: string): boolean {
  return /^#[^\s]*$/.test(url.trim());
}

function isInlineImage(url: string): boolean {
  return /^data:image\/(png|gif|jpeg|webp|avif|bmp|svg\+xml)[;,]/i.test(url.trim());
}

/** Removes the declarations that fetch; returns whether any was removed. */
function cleanDeclarations(style: CSSStyleDeclaration): boolean {
  let changed = false;
  for (let i = style.length - 1; i >= 0; i--) {
    const name = style.item(i);
    if (cssFetches(style.getPropertyValue(name))) {
      style.removeProperty(name);
      changed = true;
    }
  }
  return changed;
}

function cleanRules(rules: CSSRuleList): boolean {
  let changed = false;
  for (const rule of [...rules]) {
    const r = rule as CSSRule & { style?: CSSStyleDeclaration; cssRules?: CSSRuleList };
    if (r.style && cleanDeclarations(r.style)) changed = true;
    if (r.cssRules && cleanRules(r.cssRules)) changed = true;
  }
  return changed;
}

/** A stylesheet's text without `@import` and without declarations that fetch. */
export function cleanStylesheet(css: string): { css: string; changed: boolean } {
  if (!cssFetches(css)) return { css, changed: false };
  if (typeof CSSStyleSheet !== 'function' || !('replaceSync' in CSSStyleSheet.prototype)) return { css: '', changed: true };
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css); // drops @import rules: constructed sheets cannot import
  cleanRules(sheet.cssRules);
  const cleaned = [...sheet.cssRules].map((r) => r.cssText).join('\n');
  return { css: cleaned, changed: true };
}

function unwrap(el: Element): void {
  el.replaceWith(...el.childNodes);
}

/** A link without its link: `<a>` becomes `<g>` (SVG, keeping mermaid's transform) or `<span>`. */
function neutraliseLink(el: Element): void {
  const doc = el.ownerDocument;
  const plain = el.namespaceURI === SVG_NS ? doc.createElementNS(SVG_NS, 'g') : doc.createElement('span');
  for (const attr of [...el.attributes]) {
    const name = attr.name.toLowerCase();
    if (!URL_ATTRS.has(name) && !NAVIGATION_ATTRS.has(name)) plain.setAttribute(attr.name, attr.value);
  }
  plain.append(...el.childNodes);
  el.replaceWith(plain);
}

function cleanAttributes(el: Element, removed: string[], keep: (name: string, value: string) => boolean): void {
  const tag = el.localName.toLowerCase();
  for (const attr of [...el.attributes]) {
    const name = attr.name.toLowerCase();
    if (name.startsWith('on') || (URL_ATTRS.has(name) && !keep(name, attr.value))) {
      el.removeAttribute(attr.name);
      removed.push(`${tag}[${name}]`);
    } else if (NAVIGATION_ATTRS.has(name)) {
      el.removeAttribute(attr.name);
    } else if (name === 'style' && cssFetches(attr.value)) {
      const style = (el as Partial<ElementCSSInlineStyle>).style;
      if (style) cleanDeclarations(style);
      if (!style || style.length === 0 || cssFetches(el.getAttribute('style') ?? '')) el.removeAttribute('style');
      removed.push(`${tag}[style] url()`);
    }
  }
}

/** Any element may point inside the document (`<a href="#…">`, `<use href="#…">`). */
const fragmentKeeps = (name: string, value: string) => (name === 'href' || name === 'xlink:href') && isFragment(value);
const imageKeeps = (name: string, value: string) =>
  fragmentKeeps(name, value) || ((name === 'src' || name === 'href' || name === 'xlink:href') && isInlineImage(value));

/** The element's action, from its tag and namespace. */
function verdict(el: Element): 'drop' | 'unwrap' | 'link' | 'image' | 'style' | 'keep' {
  const tag = el.localName.toLowerCase();
  if (DROP.has(tag)) return 'drop';
  if (IMAGES.has(tag)) {
    const src = el.getAttribute('src') ?? el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? '';
    return isInlineImage(src) ? 'image' : 'drop';
  }
  // Mermaid's own <style> is an SVG element scoped to the diagram's id; one in a label is HTML and page-wide.
  if (tag === 'style') return el.namespaceURI === SVG_NS ? 'style' : 'drop';
  if (tag === 'a') return 'link';
  if (UNWRAP.has(tag)) return 'unwrap';
  return 'keep';
}

function clean(parent: ParentNode, removed: string[]): void {
  for (const el of [...parent.children]) {
    const tag = el.localName.toLowerCase();
    const action = verdict(el);
    if (action === 'drop') {
      el.remove();
      removed.push(`<${tag}>`);
      continue;
    }
    clean(el, removed);
    switch (action) {
      case 'style': {
        const { css, changed } = cleanStylesheet(el.textContent ?? '');
        if (changed) {
          el.textContent = css;
          removed.push('<style> url()');
        }
        cleanAttributes(el, removed, fragmentKeeps);
        break;
      }
      case 'link':
        cleanAttributes(el, removed, fragmentKeeps);
        if (!el.hasAttribute('href') && !el.hasAttribute('xlink:href')) neutraliseLink(el);
        break;
      case 'image':
        cleanAttributes(el, removed, imageKeeps);
        break;
      case 'unwrap':
        unwrap(el);
        removed.push(`<${tag}>`);
        break;
      case 'keep':
        cleanAttributes(el, removed, fragmentKeeps);
    }
  }
}

/**
 * Parses mermaid's SVG markup into nodes owned by `doc` and removes what must not reach the page.
 * Text is kept wherever an element is removed for what it does rather than what it says.
 */
export function sanitizeDiagram(markup: string, doc: Document = document): SanitizedDiagram {
  const template = doc.createElement('template');
  template.innerHTML = markup;
  const removed: string[] = [];
  clean(template.content, removed);
  return { fragment: doc.importNode(template.content, true), removed };
}
