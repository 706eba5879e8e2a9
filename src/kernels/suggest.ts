// "Did you mean …?" for every kernel: the closest name by edit distance (optimal string alignment: Levenshtein plus
// adjacent transpositions, so `usres` is one step from `users`).

export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const ca = a.charCodeAt(i - 1);
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

/** Closest candidate within a distance that grows with the name's length; earlier groups win ties. */
export function closest(name: string, groups: Iterable<string>[]): string | undefined {
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestD = max + 1;
  const lower = name.toLowerCase();
  for (const g of groups) {
    for (const c of g) {
      if (c === name) continue;
      // A case-only difference (`gb` vs `GB`) counts as the closest possible miss.
      const d = c.toLowerCase() === lower ? 0.5 : editDistance(name, c, max);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
  }
  return best;
}
