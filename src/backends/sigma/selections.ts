// A condition tree over items → named selections and a small condition, grouped the way SigmaHQ's
// rules are: the plain items of an `and` share one map (AND of fields), the values of one field in
// an `or` share one list (OR of values), negated items are gathered in a `filter_*` selection used
// under `not`, and every `field: null` stands in a selection of its own.
import type { YamlValue } from "./escape.js";
import type { Cond, SigmaItem, SigmaScalar } from "./translate.js";

type Leaf = Extract<Cond, { kind: "leaf" }>;

export interface Detection {
  /** Selection name → a map (AND of its entries) or a list of maps (OR), in order of first use. */
  selections: Map<string, YamlValue>;
  condition: string;
}

const keyOf = (item: SigmaItem) => [item.field, ...item.modifiers].join("|");
const isNull = (l: Leaf) => l.item.values.length === 1 && l.item.values[0] === null;

const hints = new Map<string, string>();

/** A selection name's stem from a field: its last segment in snake case (one per field, kept). */
function hint(field: string): string {
  let known = hints.get(field);
  if (known === undefined) hints.set(field, (known = snakeHint(field)));
  return known;
}

function snakeHint(field: string): string {
  const last = field.split(".").pop()!;
  const snake = last
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return snake || "field";
}

function valuesYaml(values: SigmaScalar[]): YamlValue {
  return values.length === 1 ? values[0]! : values;
}

function uniqueValues(values: SigmaScalar[]): SigmaScalar[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type Expr = { text: string; op: "or" | "and" | "atom" };

class Builder {
  readonly selections = new Map<string, YamlValue>();

  private add(prefix: "selection" | "filter", base: string, content: YamlValue): string {
    let name = base === "" ? prefix : `${prefix}_${base}`;
    for (let n = 2; this.selections.has(name); n++)
      name = `${base === "" ? prefix : `${prefix}_${base}`}_${n}`;
    this.selections.set(name, content);
    return name;
  }

  /** Maps whose keys are distinct (a repeated key starts the next map). */
  private maps(leaves: Leaf[]): Array<Map<string, Leaf[]>> {
    const out: Array<Map<string, Leaf[]>> = [];
    for (const l of leaves) {
      const key = keyOf(l.item);
      let target = out.find((m) => !m.has(key));
      if (!target) out.push((target = new Map()));
      target.set(key, [l]);
    }
    return out;
  }

  /** Items on the same key merged into one value list (OR), each value once, in order. */
  private byKey(leaves: Leaf[]): Map<string, SigmaScalar[]> {
    const out = new Map<string, SigmaScalar[]>();
    for (const l of leaves) {
      const key = keyOf(l.item);
      const values = out.get(key);
      out.set(
        key,
        values ? uniqueValues([...values, ...l.item.values]) : uniqueValues(l.item.values),
      );
    }
    return out;
  }

  private nullSelection(l: Leaf): Expr {
    const name = this.add(l.negated ? "filter" : "selection", `${hint(l.item.field)}_null`, {
      [l.item.field]: null,
    });
    return { text: l.negated ? `not ${name}` : name, op: "atom" };
  }

  expr(c: Cond, top = false): Expr {
    switch (c.kind) {
      case "const":
        throw new Error("constants are folded before selections are built");
      case "leaf":
        return this.junction({ kind: "and", items: [c] }, top);
      case "and":
      case "or":
        return this.junction(c, top);
    }
  }

  private junction(c: Extract<Cond, { kind: "and" | "or" }>, top: boolean): Expr {
    const leaves = c.items.filter((i): i is Leaf => i.kind === "leaf");
    const plain = leaves.filter((l) => !l.negated && !isNull(l));
    const negated = leaves.filter((l) => l.negated && !isNull(l));
    const parts: Expr[] = [];
    if (c.kind === "and") {
      // a and b: one map per run of distinct keys
      for (const map of this.maps(plain)) {
        const content: { [k: string]: YamlValue } = {};
        for (const [key, [l]] of map) content[key] = valuesYaml(l!.item.values);
        const first = [...map.values()][0]![0]!;
        const base =
          map.size > 1 && top && !this.selections.has("selection") ? "" : hint(first.item.field);
        parts.push({ text: this.add("selection", base, content), op: "atom" });
      }
      // not a and not b = not (a or b): one filter, values of a key merged, keys as a list of maps
      if (negated.length) parts.push(this.filter(negated));
    } else {
      // a or b: values of one key merged, keys as a list of maps
      if (plain.length) {
        const merged = this.byKey(plain);
        const entries = [...merged].map(([key, values]) => ({ [key]: valuesYaml(values) }));
        const content: YamlValue = entries.length === 1 ? entries[0]! : entries;
        parts.push({
          text: this.add("selection", hint(plain[0]!.item.field), content),
          op: "atom",
        });
      }
      // not a or not b = not (a and b): one filter map per run of distinct keys
      for (const map of this.maps(negated)) {
        const content: { [k: string]: YamlValue } = {};
        for (const [key, [l]] of map) content[key] = valuesYaml(l!.item.values);
        const first = [...map.values()][0]![0]!;
        parts.push({
          text: `not ${this.add("filter", hint(first.item.field), content)}`,
          op: "atom",
        });
      }
    }
    for (const item of c.items) {
      if (item.kind === "leaf") {
        if (isNull(item)) parts.push(this.nullSelection(item));
      } else {
        const sub = this.expr(item);
        // Parenthesise every nested junction: Sigma binds `and` tighter, but the reader should not have to know.
        parts.push(sub.op === "atom" ? sub : { text: `(${sub.text})`, op: "atom" });
      }
    }
    if (parts.length === 1) return parts[0]!;
    return { text: parts.map((p) => p.text).join(` ${c.kind} `), op: c.kind };
  }

  private filter(negated: Leaf[]): Expr {
    const merged = this.byKey(negated);
    const entries = [...merged].map(([key, values]) => ({ [key]: valuesYaml(values) }));
    const content: YamlValue = entries.length === 1 ? entries[0]! : entries;
    return { text: `not ${this.add("filter", hint(negated[0]!.item.field), content)}`, op: "atom" };
  }
}

/** Named selections and the condition for a (folded, non-constant) condition tree. */
export function buildDetection(cond: Cond): Detection {
  const b = new Builder();
  const { text } = b.expr(cond, true);
  return { selections: b.selections, condition: text };
}
