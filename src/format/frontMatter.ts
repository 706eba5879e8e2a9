// Front matter: the YAML mapping between a file's first `---` line and the next `---` (or `...`).
// Reading it is where a bad `seed` or bad YAML becomes an error with the file's line and column.
import { Document, isMap, isNode, isScalar, parseDocument, visit } from 'yaml';
import { NotebookReadError } from './errors';

/**
 * Seeds the simulations use exactly: 0 to 2^32 - 1. The kernels mix the notebook seed as a 32-bit
 * integer (`mixSeed` in src/kernels/sim/random.ts), so a larger or negative seed would silently run
 * the same as another one.
 */
export const SEED_MAX = 0xffff_ffff;
/** The seed of a notebook whose front matter names none. */
export const DEFAULT_SEED = 1;
/** yaml's own guard against alias bombs (`a: &a [x,x]`, `b: [*a,*a]`, …), made an error with a position. */
const MAX_ALIAS_COUNT = 100;

const show = (v: unknown): string => {
  const s = typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
};

/** Why `value` is not a seed the simulations use exactly, or undefined when it is one. */
export function seedProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `\`seed\` must be a whole number from 0 to ${SEED_MAX} (here: ${value === null ? 'nothing' : show(value)}).`;
  }
  if (value < 0 || value > SEED_MAX) {
    const same = Number.isSafeInteger(value) ? `, so ${value} would run exactly like ${((value % 2 ** 32) + 2 ** 32) % 2 ** 32}` : '';
    return `\`seed\` must be from 0 to ${SEED_MAX}: the simulations use 32-bit seeds${same}.`;
  }
  return undefined;
}

/** The notebook seed from parsed front matter: its `seed`, or 1 when it has none. */
export function notebookSeed(frontMatter: Record<string, unknown>): number {
  if (!Object.hasOwn(frontMatter, 'seed')) return DEFAULT_SEED;
  const problem = seedProblem(frontMatter.seed);
  if (problem) throw new Error(problem);
  return frontMatter.seed as number;
}

/**
 * Parses front matter text whose first line is line `firstLine` (zero-based) of the file: a YAML
 * mapping (or nothing) with a valid `seed` when it has one. Errors carry the file's line and column.
 */
export function parseFrontMatter(text: string, firstLine = 1): Record<string, unknown> {
  const at = (offset: number, detail: string) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return new NotebookReadError(firstLine + line, offset - (before.lastIndexOf('\n') + 1), detail);
  };
  // logLevel: yaml would otherwise print warnings (e.g. about a list used as a key) to the console.
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw at(e.pos[0], `the front matter is not valid YAML: ${e.message}.`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw at(
      explodingOffset(doc),
      `the front matter cannot be read: ${(e as Error).message} (YAML aliases may be used at most ${MAX_ALIAS_COUNT} times over). Write the values out instead.`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !isMap(doc.contents)) {
    throw at(doc.contents?.range?.[0] ?? 0, 'the front matter must be a YAML mapping such as `title: URL shortener`.');
  }
  const seed = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'seed');
  const problem = seed && seedProblem((value as Record<string, unknown>).seed);
  if (problem) throw at((isNode(seed!.value) && seed!.value.range?.[0]) || (isNode(seed!.key) ? seed!.key.range![0] : 0), problem);
  return value as Record<string, unknown>;
}

/** Where a document that fails to convert goes wrong: the first top-level entry that fails alone, else its first alias. */
function explodingOffset(doc: Document): number {
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      try {
        if (isNode(pair.value)) pair.value.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
      } catch {
        return isNode(pair.key) ? pair.key.range![0] : 0;
      }
    }
  }
  let first = 0;
  visit(doc, {
    Alias(_, node) {
      first = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return first;
}
