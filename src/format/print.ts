// The canonical layout of a .det file, as a Prettier document (the seed rules in rules/aws/ec2/):
//   - metadata values aligned one space after the longest key (a key longer than `description`,
//     i.e. `falsepositives`, does not widen the column: it gets one space);
//   - comma lists on one line, or one value per line under the first when the author broke the line
//     after the first comma; a runbook as a block string (its text unchanged), block strings
//     re-indented to two spaces inside the rule;
//   - `condition` alone on its line, the expression indented and broken at every top-level `and`/`or`;
//     deeper groups, quantifiers and lists stay on one line when they fit in 100 columns, else break
//     with one operand per line (an `and` inside an `or` indents its continuation lines);
//   - tests: header on one line, the event as JSON with two-space indentation, no trailing commas;
//     an object or array stays on one line if it fits and the author did not break the line after
//     its opening bracket;
//   - a blank line around the condition and every test, none between metadata entries; at the top
//     level a blank line around every rule, and between lists where the author left one;
//   - kept as written: the order of entries, parentheses (even redundant ones), the text of every
//     string, number and regex (escapes included), and every comment (see tree.ts for placement).
import type { Doc } from "prettier";
import { builders } from "prettier/doc";
import { children, type AnyNode } from "./tree.js";
import type {
  Comment,
  ConditionNode,
  EntryNode,
  ExprNode,
  FileNode,
  JsonMemberNode,
  JsonNode,
  ListNode,
  MetaNode,
  MetaValueNode,
  RuleNode,
  TestNode,
  ValueListNode,
} from "./tree.js";

const {
  group,
  indent,
  align,
  line,
  softline,
  hardline,
  literalline,
  lineSuffix,
  breakParent,
  join,
} = builders;

export const PRINT_WIDTH = 100;
/** Keys longer than this do not set the metadata value column. */
const ALIGN_LIMIT = "description".length;
/** Block-string text sits two spaces inside the rule's entries. */
const BLOCK_MARGIN = "    ";

const blankLineBetween = (text: string, from: number, to: number) =>
  /\n[ \t\r]*\n/.test(text.slice(from, to));

function leadingComments(comments: Comment[], keepBlankLines = false): Doc[] {
  return comments.map((c) => [c.text, hardline, keepBlankLines && c.blankAfter ? hardline : ""]);
}

/** After the node on its line (a lineSuffix: a comma printed after it still lands before it). */
function trailingComments(comments: Comment[]): Doc[] {
  return comments.map((c, i) => [
    lineSuffix(i === 0 ? [" ", c.text] : [hardline, c.text]),
    breakParent,
  ]);
}

/** A node with its comments: own-line comments above it, same-line ones after it. */
function withComments(node: { leading: Comment[]; trailing: Comment[] }, printed: Doc): Doc {
  return [...leadingComments(node.leading), printed, ...trailingComments(node.trailing)];
}

export function printFile(file: FileNode, text: string): Doc {
  const parts: Doc[] = [];
  file.items.forEach((item, i) => {
    const start = item.leading[0]?.start ?? item.start;
    if (i > 0) {
      const prev = file.items[i - 1]!;
      const blank =
        item.kind === "rule" || prev.kind === "rule" || blankLineBetween(text, prev.end, start);
      parts.push(hardline, blank ? hardline : "");
    }
    parts.push(
      ...leadingComments(item.leading, true),
      item.kind === "rule" ? printRule(item) : printList(item),
      ...trailingComments(item.trailing),
    );
  });
  if (file.dangling.length > 0) {
    const last = file.items[file.items.length - 1];
    if (last)
      parts.push(
        hardline,
        blankLineBetween(text, last.end, file.dangling[0]!.start) ? hardline : "",
      );
    parts.push(
      join(
        hardline,
        file.dangling.map((c, i) => [
          c.text,
          c.blankAfter && i < file.dangling.length - 1 ? hardline : "",
        ]),
      ),
    );
  }
  return parts.length > 0 ? [parts, hardline] : "";
}

function printList(list: ListNode): Doc {
  return [list.head, list.defaults ? [" = ", printValues(list.defaults)] : ""];
}

// ---- rules ----------------------------------------------------------------------------------------
function printRule(rule: RuleNode): Doc {
  const width = Math.max(
    0,
    ...rule.entries
      .filter((e): e is MetaNode => e.kind === "meta" && e.key.length <= ALIGN_LIMIT)
      .map((e) => e.key.length),
  );
  const body: Doc[] = [];
  rule.entries.forEach((entry, i) => {
    const prev = rule.entries[i - 1];
    if (prev) body.push(hardline, prev.kind === "meta" && entry.kind === "meta" ? "" : hardline);
    body.push(
      ...leadingComments(entry.leading, true),
      printEntry(entry, width),
      ...trailingComments(entry.trailing),
    );
  });
  if (rule.dangling.length > 0)
    body.push(
      rule.entries.length > 0 ? hardline : "",
      join(
        hardline,
        rule.dangling.map((c) => c.text),
      ),
    );
  const open = trailingComments(rule.open);
  if (body.length === 0)
    return ["rule ", rule.id, " {", ...open, open.length > 0 ? hardline : "", "}"];
  return ["rule ", rule.id, " {", ...open, indent([hardline, ...body]), hardline, "}"];
}

function printEntry(entry: EntryNode, width: number): Doc {
  switch (entry.kind) {
    case "meta":
      return printMeta(entry, width);
    case "condition":
      return printCondition(entry);
    case "test":
      return printTest(entry);
  }
}

function printMeta(meta: MetaNode, width: number): Doc {
  const key = meta.key.length <= width ? meta.key.padEnd(width + 1) : `${meta.key} `;
  // A comment between the key and the first value cannot stay there: it goes above the entry.
  // Comments between values keep their place, one value per line.
  const moved = meta.values[0]?.leading ?? [];
  const broken =
    meta.broken ||
    meta.values.some(
      (v, i) =>
        (i < meta.values.length - 1 && v.trailing.length > 0) || (i > 0 && v.leading.length > 0),
    );
  const values = meta.values.map((v, i) => [
    ...(i > 0 ? leadingComments(v.leading) : []),
    printMetaValue(v),
    i < meta.values.length - 1 ? "," : "",
    ...trailingComments(v.trailing),
  ]);
  return [...leadingComments(moved), key, align(key.length, join(broken ? hardline : " ", values))];
}

function printMetaValue(value: MetaValueNode): Doc {
  if (value.kind === "text") return value.text;
  // Literal lines: the text keeps every character, trailing spaces included.
  return [
    '"""',
    literalline,
    ...value.lines.map((l) => [l === "" ? "" : BLOCK_MARGIN + l, literalline]),
    BLOCK_MARGIN,
    '"""',
  ];
}

function printCondition(condition: ConditionNode): Doc {
  const expr = condition.expr;
  const body =
    expr.kind === "chain" ? withComments(expr, printChain(expr, "top")) : printExpr(expr);
  return ["condition", ...trailingComments(condition.open), indent([hardline, body])];
}

// ---- conditions -----------------------------------------------------------------------------------
type Chain = Extract<ExprNode, { kind: "chain" }>;

/** The operands of a chain, each after its operator, separated by `line`s the caller groups. */
function chainParts(chain: Chain): Doc[] {
  return chain.operands.map((operand, i) => {
    const printed = operand.kind === "chain" ? printNestedChain(operand) : printExpr(operand, true);
    return [
      ...leadingComments(operand.leading),
      i > 0 ? `${chain.op} ` : "",
      printed,
      ...trailingComments(operand.trailing),
    ];
  });
}

/**
 * `top`: one operand per line, always. Inside parentheses the chain shares its group with them
 * (see printContainerBody). A chain operand of a chain (an `and` inside an `or`) is its own group,
 * continuation lines indented so precedence shows.
 */
function printChain(chain: Chain, mode: "top" | "nested"): Doc {
  const parts = chainParts(chain);
  if (mode === "top") return join(hardline, parts);
  return group([parts[0]!, indent([line, join(line, parts.slice(1))])]);
}

const printNestedChain = (chain: Chain) => printChain(chain, "nested");

function printExpr(expr: ExprNode, commentsDone = false): Doc {
  const printed = printExprBody(expr);
  return commentsDone ? printed : withComments(expr, printed);
}

function printExprBody(expr: ExprNode): Doc {
  switch (expr.kind) {
    case "chain":
      return printNestedChain(expr);
    case "not":
      return ["not ", printExpr(expr.operand)];
    case "paren":
      return group(["(", printContainerBody(expr, expr.inner), ")"]);
    case "quantified":
      return group([expr.head, " (", printContainerBody(expr, expr.body), ")"]);
    case "predicate":
      return join(
        " ",
        expr.parts.map((p) => (typeof p === "string" ? p : printValues(p))),
      );
    case "constant":
      return expr.text;
  }
}

/** Between `(` and `)`: a chain directly inside breaks with the parentheses, one operand per line. */
function printContainerBody(node: { open: Comment[]; dangling: Comment[] }, inner: ExprNode): Doc {
  const body =
    inner.kind === "chain" ? withComments(inner, join(line, chainParts(inner))) : printExpr(inner);
  const dangling =
    node.dangling.length > 0
      ? [
          hardline,
          join(
            hardline,
            node.dangling.map((c) => c.text),
          ),
        ]
      : "";
  return [...trailingComments(node.open), indent([softline, body, dangling]), softline];
}

function printValues(list: ValueListNode): Doc {
  if (list.items.length === 0 && list.open.length === 0 && list.dangling.length === 0)
    return withComments(list, "[]");
  return withComments(
    list,
    printBracketed(
      "[",
      "]",
      list,
      list.items.map((item) => withComments(item, item.text)),
      list.broken,
      false,
    ),
  );
}

/** `[a, b]` / `{ a, b }` on one line when it fits (and the author did not break it), else one item per line. */
function printBracketed(
  open: string,
  close: string,
  node: { open: Comment[]; dangling: Comment[] },
  items: Doc[],
  broken: boolean,
  spaced: boolean,
): Doc {
  // A trailing comment is a lineSuffix: the comma printed after it still lands before it.
  const separated = items.map((item, i) => (i < items.length - 1 ? [item, ","] : item));
  const dangling =
    node.dangling.length > 0
      ? [
          items.length > 0 ? hardline : "",
          join(
            hardline,
            node.dangling.map((c) => c.text),
          ),
        ]
      : "";
  const edge = spaced ? line : softline;
  return group(
    [
      open,
      ...trailingComments(node.open),
      indent([edge, join(line, separated), dangling]),
      edge,
      close,
    ],
    { shouldBreak: broken || node.dangling.length > 0 },
  );
}

// ---- tests ----------------------------------------------------------------------------------------
function printTest(test: TestNode): Doc {
  // After a binding that ends with a comment, the rest of the header goes on the next line.
  const commentAfter = test.bindings.map(endsWithComment);
  const bindings = test.bindings.map((b, i) => [
    withComments(b, [b.name, " = ", printValues(b.list)]),
    i < test.bindings.length - 1 ? (commentAfter[i] ? [",", hardline] : ", ") : "",
  ]);
  const gap = commentAfter[commentAfter.length - 1] ? hardline : " ";
  const target = test.event ? [gap, printJson(test.event)] : [gap, "from ", test.from ?? '""'];
  return [test.head, bindings.length > 0 ? [" with ", indent(bindings)] : "", target];
}

/** Does a comment trail the node or the innermost node that ends where it ends? */
function endsWithComment(node: AnyNode): boolean {
  if (node.trailing.length > 0) return true;
  const last = children(node).at(-1);
  return !!last && last.end === node.end && endsWithComment(last);
}

function printJson(node: JsonNode): Doc {
  return withComments(node, printJsonBody(node));
}

function printJsonBody(node: JsonNode): Doc {
  switch (node.kind) {
    case "leaf":
      return node.text;
    case "object":
      if (node.members.length === 0 && node.open.length === 0 && node.dangling.length === 0)
        return "{}";
      return printBracketed("{", "}", node, node.members.map(printMember), node.broken, true);
    case "array":
      if (node.items.length === 0 && node.open.length === 0 && node.dangling.length === 0)
        return "[]";
      return printBracketed("[", "]", node, node.items.map(printJson), node.broken, false);
  }
}

function printMember(member: JsonMemberNode): Doc {
  return withComments(member, [member.key, ": ", printJson(member.value)]);
}
