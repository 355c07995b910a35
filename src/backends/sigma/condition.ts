// Sigma detection conditions (rules specification 2.x, "Condition"): `and`, `or`, `not`,
// parentheses, `1 of PATTERN`, `all of PATTERN`, `1 of them`, `all of them` (patterns use `*`;
// `them` and patterns skip identifiers starting with `_`). Precedence, least to most binding:
// or, and, not, x of, ( ). Parsing never throws: problems come back as messages; checkCondition
// also requires every identifier and pattern to name defined selections.

export type ConditionAst =
  | { kind: "ref"; name: string }
  | { kind: "of"; quantifier: "1" | "all"; pattern: string }
  | { kind: "not"; operand: ConditionAst }
  | { kind: "and" | "or"; left: ConditionAst; right: ConditionAst };

type Token = { kind: "word" | "(" | ")"; text: string; at: number };

function tokenize(text: string): { tokens: Token[]; errors: string[] } {
  const tokens: Token[] = [];
  const errors: string[] = [];
  const re = /\s+|([()])|([A-Za-z0-9_*]+)|(.)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1]) tokens.push({ kind: m[1] as "(" | ")", text: m[1], at: m.index });
    else if (m[2]) tokens.push({ kind: "word", text: m[2], at: m.index });
    else if (m[3]) errors.push(`unexpected character ${JSON.stringify(m[3])} at ${m.index + 1}`);
  }
  return { tokens, errors };
}

const keywords = new Set(["and", "or", "not", "of", "them", "all", "1"]);

export function parseCondition(text: string): { ast: ConditionAst | undefined; errors: string[] } {
  const { tokens, errors } = tokenize(text);
  if (errors.length) return { ast: undefined, errors };
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    const t = peek();
    throw new SyntaxError(`expected ${what} ${t ? `at ${t.at + 1} ('${t.text}')` : "at the end"}`);
  };
  const word = (w: string) => peek()?.kind === "word" && peek()!.text === w;

  const orExpr = (): ConditionAst => {
    let left = andExpr();
    while (word("or")) {
      i++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): ConditionAst => {
    let left = notExpr();
    while (word("and")) {
      i++;
      left = { kind: "and", left, right: notExpr() };
    }
    return left;
  };
  const notExpr = (): ConditionAst => {
    if (word("not")) {
      i++;
      return { kind: "not", operand: notExpr() };
    }
    return primary();
  };
  const primary = (): ConditionAst => {
    const t = peek();
    if (!t) return fail("a selection, 'not', 'x of' or '('");
    if (t.kind === "(") {
      i++;
      const inner = orExpr();
      if (peek()?.kind !== ")") fail("')'");
      i++;
      return inner;
    }
    if (t.kind === "word" && (t.text === "1" || t.text === "all") && tokens[i + 1]?.text === "of") {
      i += 2;
      const target = peek();
      if (
        !target ||
        target.kind !== "word" ||
        (keywords.has(target.text) && target.text !== "them")
      )
        fail("a selection pattern or 'them'");
      i++;
      return { kind: "of", quantifier: t.text as "1" | "all", pattern: target!.text };
    }
    if (t.kind === "word" && !keywords.has(t.text) && !t.text.includes("*")) {
      i++;
      return { kind: "ref", name: t.text };
    }
    return fail("a selection, 'not', 'x of' or '('");
  };

  try {
    const ast = orExpr();
    if (i < tokens.length) fail("'and', 'or' or the end");
    return { ast, errors: [] };
  } catch (e) {
    if (e instanceof SyntaxError) return { ast: undefined, errors: [e.message] };
    throw e;
  }
}

/** Selection names a `x of` pattern names (`them`: every name not starting with `_`). */
export function expandPattern(pattern: string, names: readonly string[]): string[] {
  if (pattern === "them") return names.filter((n) => !n.startsWith("_"));
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return names.filter((n) => re.test(n));
}

/** The condition parses and names only defined selections (every pattern matches at least one). */
export function checkCondition(
  text: string,
  selections: readonly string[],
): { ast: ConditionAst | undefined; errors: string[] } {
  const parsed = parseCondition(text);
  if (!parsed.ast) return parsed;
  const errors: string[] = [];
  const walk = (n: ConditionAst): void => {
    switch (n.kind) {
      case "ref":
        if (!selections.includes(n.name))
          errors.push(`the condition names '${n.name}', which is not a selection`);
        return;
      case "of":
        if (expandPattern(n.pattern, selections).length === 0)
          errors.push(`'${n.quantifier} of ${n.pattern}' matches no selection`);
        return;
      case "not":
        return walk(n.operand);
      case "and":
      case "or":
        walk(n.left);
        walk(n.right);
    }
  };
  walk(parsed.ast);
  for (const name of selections)
    if (!/^[A-Za-z0-9_]+$/.test(name) || keywords.has(name))
      errors.push(`'${name}' cannot be named in a condition`);
  return { ast: errors.length ? undefined : parsed.ast, errors };
}
