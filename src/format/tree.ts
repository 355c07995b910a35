// The formatter's tree: the CST of a .det file reduced to what layout needs, every node with its
// source offsets (half-open) and the comments attached to it. Leaves keep their tokens' text as
// written (string escapes, number spellings, regexes), so printing never re-encodes a value.
import type { CstNode, IToken } from "chevrotain";
import type { LineIndex } from "../diagnostics/span.js";
import type * as C from "../syntax/cst.js";
import { AstBuilder } from "../syntax/toAst.js";

export interface Comment {
  text: string;
  start: number;
  end: number;
  /** A blank line separates this comment from what follows it in the source. */
  blankAfter: boolean;
}

interface Base {
  start: number;
  end: number;
  /** Comments on their own lines before the node. */
  leading: Comment[];
  /** A comment after the node on its line (at most one can be, but comments inside leaves move here too). */
  trailing: Comment[];
}

/** Nodes with an opening token (`{`, `(`, `[`, `condition`) keep a comment on that token's line there. */
interface Container extends Base {
  /** End offset of the opening token. */
  openEnd: number;
  open: Comment[];
  /** Comments after the last child, before the closing token. */
  dangling: Comment[];
}

export interface FileNode extends Base {
  kind: "file";
  items: (RuleNode | ListNode)[];
  dangling: Comment[];
}

export interface ListNode extends Base {
  kind: "list";
  head: string;
  defaults: ValueListNode | undefined;
}

export interface RuleNode extends Container {
  kind: "rule";
  id: string;
  entries: EntryNode[];
}

export type EntryNode = MetaNode | ConditionNode | TestNode;

export interface MetaNode extends Base {
  kind: "meta";
  key: string;
  values: MetaValueNode[];
  /** The author put the values one per line (a line break after the first comma). */
  broken: boolean;
}

export type MetaValueNode =
  (Base & { kind: "text"; text: string }) | (Base & { kind: "block"; lines: string[] });

export interface ConditionNode extends Container {
  kind: "condition";
  expr: ExprNode;
}

export interface TestNode extends Base {
  kind: "test";
  head: string;
  bindings: BindingNode[];
  event: JsonNode | undefined;
  from: string | undefined;
}

export interface BindingNode extends Base {
  kind: "binding";
  name: string;
  list: ValueListNode;
}

export type ExprNode =
  | (Base & { kind: "chain"; op: "and" | "or"; operands: ExprNode[] })
  | (Container & { kind: "paren"; inner: ExprNode })
  | (Base & { kind: "not"; operand: ExprNode })
  | (Container & { kind: "quantified"; head: string; body: ExprNode })
  | (Base & { kind: "predicate"; parts: (string | ValueListNode)[] })
  | (Base & { kind: "constant"; text: string });

export interface ValueListNode extends Container {
  kind: "values";
  items: LeafNode[];
  broken: boolean;
}

export interface LeafNode extends Base {
  kind: "leaf";
  text: string;
}

export type JsonNode =
  | (Container & { kind: "object"; members: JsonMemberNode[]; broken: boolean })
  | (Container & { kind: "array"; items: JsonNode[]; broken: boolean })
  | LeafNode;

export interface JsonMemberNode extends Base {
  kind: "member";
  key: string;
  value: JsonNode;
}

export type AnyNode =
  | FileNode
  | ListNode
  | RuleNode
  | MetaNode
  | MetaValueNode
  | ConditionNode
  | TestNode
  | BindingNode
  | ExprNode
  | ValueListNode
  | LeafNode
  | JsonNode
  | JsonMemberNode;

// ---- CST → tree ---------------------------------------------------------------------------------

function tokensOf(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const visit = (n: CstNode) => {
    for (const list of Object.values(n.children)) {
      for (const child of list) {
        if ("tokenType" in child) out.push(child);
        else visit(child);
      }
    }
  };
  visit(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

const tokenEnd = (t: IToken) => t.startOffset + t.image.length;
const base = (start: number, end: number): Base => ({ start, end, leading: [], trailing: [] });
const range = (node: CstNode): { start: number; end: number } => {
  const tokens = tokensOf(node);
  return { start: tokens[0]!.startOffset, end: tokenEnd(tokens[tokens.length - 1]!) };
};
const container = (start: number, end: number, openEnd: number): Container => ({
  ...base(start, end),
  openEnd,
  open: [],
  dangling: [],
});
/** Path tokens (`a`, `.`, `"b"`, `[`, `0`, `]`) are written without spaces. */
const joined = (node: CstNode) =>
  tokensOf(node)
    .map((t) => t.image)
    .join("");

/** Metadata keys always written as block strings (when the text allows: no `"""`, no blank-but-spaced line). */
const BLOCK_STRING_KEYS: ReadonlySet<string> = new Set(["runbook"]);

export class TreeBuilder {
  private readonly builder: AstBuilder;

  constructor(
    private readonly text: string,
    lines: LineIndex,
  ) {
    this.builder = new AstBuilder(lines, () => ({ value: undefined, diagnostics: [] }));
  }

  /** Is there a line break between two offsets? */
  private breakBetween(from: number, to: number): boolean {
    return /[\r\n]/.test(this.text.slice(from, to));
  }

  file(cst: C.FileCstNode): FileNode {
    const items = [
      ...(cst.children.ruleDecl ?? []).map((r) => this.rule(r)),
      ...(cst.children.listDecl ?? []).map((l) => this.list(l)),
    ];
    items.sort((a, b) => a.start - b.start);
    return { kind: "file", ...base(0, this.text.length), items, dangling: [] };
  }

  list(cst: C.ListDeclCstNode): ListNode {
    const { start, end } = range(cst);
    const c = cst.children;
    const head = `list ${c.name[0]!.image} ${c.description[0]!.image}`;
    return {
      kind: "list",
      ...base(start, end),
      head,
      defaults: c.defaults?.[0] ? this.valueList(c.defaults[0]) : undefined,
    };
  }

  rule(cst: C.RuleDeclCstNode): RuleNode {
    const c = cst.children;
    const { start, end } = range(cst);
    const entries: EntryNode[] = [
      ...(c.metadataEntry ?? []).map((m) => this.meta(m)),
      ...(c.conditionEntry ?? []).map((e) => this.condition(e)),
      ...(c.testDecl ?? []).map((t) => this.test(t)),
    ].sort((a, b) => a.start - b.start);
    return {
      kind: "rule",
      ...container(start, end, tokenEnd(c.LBrace[0]!)),
      id: c.id[0]!.image,
      entries,
    };
  }

  meta(cst: C.MetadataEntryCstNode): MetaNode {
    const { start, end } = range(cst);
    const key = cst.children.key[0]!.image;
    const values = cst.children.values.map((v) => this.metaValue(v, key));
    const broken = values.length > 1 && this.breakBetween(values[0]!.end, values[1]!.start);
    return { kind: "meta", ...base(start, end), key, values, broken };
  }

  private metaValue(cst: C.MetadataValueCstNode, key: string): MetaValueNode {
    const { start, end } = range(cst);
    const block = cst.children.BlockString?.[0];
    if (block)
      return {
        kind: "block",
        ...base(start, end),
        lines: this.builder.blockString(block).split("\n"),
      };
    const string = cst.children.StringLiteral?.[0];
    // Canonical: a runbook is a block string, when its text can be one (the value stays the same).
    if (string && BLOCK_STRING_KEYS.has(key)) {
      const value = this.builder.stringToken(string);
      const lines = value.split("\n");
      const representable =
        value.trim() !== "" &&
        !value.includes('"""') &&
        !value.includes("\r") &&
        lines.every((l) => l === "" || l.trim() !== "");
      if (representable) return { kind: "block", ...base(start, end), lines };
    }
    return { kind: "text", ...base(start, end), text: joined(cst) };
  }

  condition(cst: C.ConditionEntryCstNode): ConditionNode {
    const { start, end } = range(cst);
    return {
      kind: "condition",
      ...container(start, end, tokenEnd(cst.children.Condition[0]!)),
      expr: this.or(cst.children.orExpr[0]!),
    };
  }

  test(cst: C.TestDeclCstNode): TestNode {
    const c = cst.children;
    const { start, end } = range(cst);
    const head = `test ${c.name[0]!.image} ${c.expectation![0]!.image}`;
    const bindings: BindingNode[] = (c.binding ?? []).map((b) => ({
      kind: "binding",
      ...base(range(b).start, range(b).end),
      name: b.children.name[0]!.image,
      list: this.valueList(b.children.valueList[0]!),
    }));
    const event = c.event?.[0] ? this.jsonObject(c.event[0]) : undefined;
    return { kind: "test", ...base(start, end), head, bindings, event, from: c.file?.[0]?.image };
  }

  // ---- conditions -------------------------------------------------------------------------------
  private or(cst: C.OrExprCstNode): ExprNode {
    const operands = cst.children.operands.map((o) => this.and(o));
    if (operands.length === 1) return operands[0]!;
    return {
      kind: "chain",
      op: "or",
      ...base(operands[0]!.start, operands[operands.length - 1]!.end),
      operands,
    };
  }

  private and(cst: C.AndExprCstNode): ExprNode {
    const operands = cst.children.operands.map((o) => this.unary(o));
    if (operands.length === 1) return operands[0]!;
    return {
      kind: "chain",
      op: "and",
      ...base(operands[0]!.start, operands[operands.length - 1]!.end),
      operands,
    };
  }

  private unary(cst: C.UnaryExprCstNode): ExprNode {
    const c = cst.children;
    const { start, end } = range(cst);
    if (c.Not && c.operand?.[0])
      return { kind: "not", ...base(start, end), operand: this.unary(c.operand[0]) };
    if (c.group?.[0]) {
      const g = c.group[0].children;
      return {
        kind: "paren",
        ...container(start, end, tokenEnd(g.LParen[0]!)),
        inner: this.or(g.orExpr[0]!),
      };
    }
    if (c.quantified?.[0]) {
      const q = c.quantified[0].children;
      const head = `${q.quantifier![0]!.image} ${joined(q.path[0]!)}`;
      return {
        kind: "quantified",
        ...container(start, end, tokenEnd(q.LParen[0]!)),
        head,
        body: this.or(q.body[0]!),
      };
    }
    if (c.constant?.[0])
      return { kind: "constant", ...base(start, end), text: c.constant[0].image };
    const p = c.predicate![0]!.children;
    const parts: (string | ValueListNode)[] = [
      p.self?.[0]?.image ?? joined(p.path![0]!),
      p.operator![0]!.image,
    ];
    if (p.value?.[0]) parts.push(joined(p.value[0]));
    if (p.valueList?.[0]) parts.push(this.valueList(p.valueList[0]));
    for (const t of [p.ListRef?.[0], p.RegexLiteral?.[0], p.range?.[0], p.Nocase?.[0]])
      if (t) parts.push(t.image);
    return { kind: "predicate", ...base(start, end), parts };
  }

  private valueList(cst: C.ValueListCstNode): ValueListNode {
    const { start, end } = range(cst);
    const items: LeafNode[] = (cst.children.items ?? []).map((v) => ({
      kind: "leaf",
      ...range(v),
      leading: [],
      trailing: [],
      text: joined(v),
    }));
    const open = tokenEnd(cst.children.LBracket[0]!);
    const broken = items.length > 0 && this.breakBetween(open, items[0]!.start);
    return { kind: "values", ...container(start, end, open), items, broken };
  }

  // ---- JSON -------------------------------------------------------------------------------------
  private jsonValue(cst: C.JsonValueCstNode): JsonNode {
    const c = cst.children;
    if (c.jsonObject?.[0]) return this.jsonObject(c.jsonObject[0]);
    if (c.jsonArray?.[0]) {
      const a = c.jsonArray[0];
      const { start, end } = range(a);
      const items = (a.children.items ?? []).map((i) => this.jsonValue(i));
      const open = tokenEnd(a.children.LBracket[0]!);
      const broken = items.length > 0 && this.breakBetween(open, items[0]!.start);
      return { kind: "array", ...container(start, end, open), items, broken };
    }
    return { kind: "leaf", ...base(range(cst).start, range(cst).end), text: joined(cst) };
  }

  private jsonObject(cst: C.JsonObjectCstNode): JsonNode {
    const { start, end } = range(cst);
    const members: JsonMemberNode[] = (cst.children.members ?? []).map((m) => ({
      kind: "member",
      ...base(range(m).start, range(m).end),
      key: m.children.key[0]!.image,
      value: this.jsonValue(m.children.jsonValue[0]!),
    }));
    const open = tokenEnd(cst.children.LBrace[0]!);
    const broken = members.length > 0 && this.breakBetween(open, members[0]!.start);
    return { kind: "object", ...container(start, end, open), members, broken };
  }

  // ---- comments ---------------------------------------------------------------------------------
  /** Attach every comment to the node it belongs to (see `attach`). */
  attachComments(root: FileNode, comments: IToken[]): void {
    comments.forEach((token, i) => {
      const start = token.startOffset;
      const end = tokenEnd(token);
      const next = this.nextTokenAfter(end);
      const comment: Comment = {
        text: token.image.replace(/\s+$/, ""),
        start,
        end,
        blankAfter: /\n[ \t\r]*\n/.test(this.text.slice(end, next)),
      };
      this.attach(root, comment);
    });
    hoistChainComments(root);
  }

  private nextTokenAfter(offset: number): number {
    const m = /\S/.exec(this.text.slice(offset));
    return m ? offset + m.index : this.text.length;
  }

  /**
   * Prettier's placement, made exact for this grammar: inside the innermost node that holds children
   * around the comment, a comment on the line of the previous child trails it; one on the line of
   * the node's opening token stays there; any other comment leads the next child, or, after the
   * last child, stays before the closing token. A comment that cannot stay where it is (between
   * the tokens of a predicate, a path, a test header, or a metadata key and its value) moves to its
   * own line above that construct (for a metadata value: above the entry).
   */
  private attach(node: AnyNode, comment: Comment): void {
    const kids = children(node);
    const inside = kids.find((k) => k.start <= comment.start && comment.end <= k.end);
    if (inside) {
      if (children(inside).length > 0 || "openEnd" in inside) return this.attach(inside, comment);
      // Inside a leaf (between the tokens of a predicate or a path): it goes on its own line above
      // the leaf, where it stays when the output is formatted again.
      inside.leading.push(comment);
      return;
    }
    if ("openEnd" in node && comment.end <= node.openEnd) {
      // Between the tokens before the opening one (`rule "id"`, `any path`): above the construct.
      node.leading.push(comment);
      return;
    }
    const before = [...kids].reverse().find((k) => k.end <= comment.start);
    const after = kids.find((k) => k.start >= comment.end);
    if (before && !this.breakBetween(before.end, comment.start)) {
      // On the innermost node that ends there: a comment moved out of that leaf is already on it,
      // and two comments on one node print on two lines (never merged into one).
      let target: AnyNode = before;
      for (
        let last = children(target).at(-1);
        last && last.end === target.end;
        last = children(target).at(-1)
      )
        target = last;
      target.trailing.push(comment);
      return;
    }
    if (
      !before &&
      "openEnd" in node &&
      comment.start >= node.openEnd &&
      !this.breakBetween(node.openEnd, comment.start)
    ) {
      node.open.push(comment);
      return;
    }
    if (after) {
      after.leading.push(comment);
      return;
    }
    if ("dangling" in node) {
      node.dangling.push(comment);
      return;
    }
    // Between the tokens of a node without children (a test read `from` a file, a list without
    // defaults): above the node, like a comment inside a leaf.
    node.leading.push(comment);
  }
}

/** The children comments may sit between, in source order. */
export function children(node: AnyNode): AnyNode[] {
  switch (node.kind) {
    case "file":
      return node.items;
    case "list":
      return node.defaults ? [node.defaults] : [];
    case "rule":
      return node.entries;
    case "meta":
      return node.values;
    case "condition":
      return [node.expr];
    case "test":
      return [...node.bindings, ...(node.event ? [node.event] : [])];
    case "binding":
      return [node.list];
    case "chain":
      return node.operands;
    case "paren":
      return [node.inner];
    case "not":
      return [node.operand];
    case "quantified":
      return [node.body];
    case "values":
      return node.items;
    case "object":
      return node.members;
    case "array":
      return node.items;
    case "member":
      return [node.value];
    case "predicate":
    case "constant":
    case "text":
    case "block":
    case "leaf":
      return [];
  }
}

/**
 * A chain starts with its first operand, so a comment above that operand is a comment above the
 * chain: move it there (innermost first), so that it prints before the chain's operator in an
 * enclosing chain (`# c` then `or a and b`), never between an operator and its operand.
 */
function hoistChainComments(node: AnyNode): void {
  for (const child of children(node)) hoistChainComments(child);
  if (node.kind !== "chain") return;
  const first = node.operands[0]!;
  if (first.leading.length === 0) return;
  node.leading.push(...first.leading);
  first.leading = [];
}
