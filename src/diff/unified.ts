// Line diffs: Myers' O((N+M)·D) shortest edit script, rendered as unified-diff hunks (3 lines of
// context), the format `git diff` and GitHub's ```diff blocks show.

export type Edit = { op: "=" | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`, as a list of kept, deleted and inserted lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK =
      k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: "=", line: a[--x]! });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) edits.push({ op: "+", line: b[--y]! });
    else edits.push({ op: "-", line: a[--x]! });
  }
  return edits.reverse();
}

/** Split into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Unified diff hunks (`@@ -a,b +c,d @@` and ` `/`-`/`+` lines) between two texts; "" when equal.
 * `from`/`to` name the sides in the `---`/`+++` header (omitted when both are undefined).
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: { from?: string; to?: string; context?: number } = {},
): string {
  if (before === after) return "";
  const context = options.context ?? 3;
  const edits = diffLines(splitLines(before), splitLines(after));
  const out: string[] = [];
  if (options.from !== undefined || options.to !== undefined)
    out.push(`--- ${options.from ?? "/dev/null"}`, `+++ ${options.to ?? "/dev/null"}`);
  // Positions (1-based line numbers) of every edit in both texts.
  let aLine = 1;
  let bLine = 1;
  const located = edits.map((e) => {
    const at = { ...e, a: aLine, b: bLine };
    if (e.op !== "+") aLine++;
    if (e.op !== "-") bLine++;
    return at;
  });
  let i = 0;
  while (i < located.length) {
    // Next change, then a hunk around every change closer than 2·context lines to the previous one.
    while (i < located.length && located[i]!.op === "=") i++;
    if (i >= located.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < located.length) {
      if (located[j]!.op !== "=") {
        end = j;
        j++;
        continue;
      }
      let run = 0;
      while (j + run < located.length && located[j + run]!.op === "=") run++;
      if (j + run >= located.length || run > 2 * context) break;
      j += run;
    }
    const stop = Math.min(located.length, end + context + 1);
    const hunk = located.slice(start, stop);
    const aCount = hunk.filter((e) => e.op !== "+").length;
    const bCount = hunk.filter((e) => e.op !== "-").length;
    const aStart = aCount === 0 ? hunk[0]!.a - 1 : hunk.find((e) => e.op !== "+")!.a;
    const bStart = bCount === 0 ? hunk[0]!.b - 1 : hunk.find((e) => e.op !== "-")!.b;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const e of hunk) out.push(`${e.op === "=" ? " " : e.op}${e.line}`);
    i = stop;
  }
  return out.join("\n") + "\n";
}
