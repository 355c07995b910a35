// Generated from the parser by `npm run grammar`. Do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  ruleDecl?: RuleDeclCstNode[];
  listDecl?: ListDeclCstNode[];
};

export interface ListDeclCstNode extends CstNode {
  name: "listDecl";
  children: ListDeclCstChildren;
}

export type ListDeclCstChildren = {
  List: IToken[];
  name: IToken[];
  description: IToken[];
  Equals?: IToken[];
  defaults?: ValueListCstNode[];
};

export interface RuleDeclCstNode extends CstNode {
  name: "ruleDecl";
  children: RuleDeclCstChildren;
}

export type RuleDeclCstChildren = {
  Rule: IToken[];
  id: IToken[];
  LBrace: IToken[];
  metadataEntry?: MetadataEntryCstNode[];
  conditionEntry?: ConditionEntryCstNode[];
  testDecl?: TestDeclCstNode[];
  RBrace: IToken[];
};

export interface MetadataEntryCstNode extends CstNode {
  name: "metadataEntry";
  children: MetadataEntryCstChildren;
}

export type MetadataEntryCstChildren = {
  key: IToken[];
  values: (MetadataValueCstNode)[];
  Comma?: IToken[];
};

export interface MetadataValueCstNode extends CstNode {
  name: "metadataValue";
  children: MetadataValueCstChildren;
}

export type MetadataValueCstChildren = {
  StringLiteral?: IToken[];
  BlockString?: IToken[];
  AttackPair?: IToken[];
  True?: IToken[];
  False?: IToken[];
  dottedName?: DottedNameCstNode[];
};

export interface ConditionEntryCstNode extends CstNode {
  name: "conditionEntry";
  children: ConditionEntryCstChildren;
}

export type ConditionEntryCstChildren = {
  Condition: IToken[];
  orExpr: OrExprCstNode[];
};

export interface TestDeclCstNode extends CstNode {
  name: "testDecl";
  children: TestDeclCstChildren;
}

export type TestDeclCstChildren = {
  Test: IToken[];
  name: IToken[];
  expectation?: (IToken)[];
  With?: IToken[];
  binding?: BindingCstNode[];
  Comma?: IToken[];
  event?: JsonObjectCstNode[];
  From?: IToken[];
  file?: IToken[];
};

export interface BindingCstNode extends CstNode {
  name: "binding";
  children: BindingCstChildren;
}

export type BindingCstChildren = {
  name: IToken[];
  Equals: IToken[];
  valueList: ValueListCstNode[];
};

export interface OrExprCstNode extends CstNode {
  name: "orExpr";
  children: OrExprCstChildren;
}

export type OrExprCstChildren = {
  operands: (AndExprCstNode)[];
  Or?: IToken[];
};

export interface AndExprCstNode extends CstNode {
  name: "andExpr";
  children: AndExprCstChildren;
}

export type AndExprCstChildren = {
  operands: (UnaryExprCstNode)[];
  And?: IToken[];
};

export interface UnaryExprCstNode extends CstNode {
  name: "unaryExpr";
  children: UnaryExprCstChildren;
}

export type UnaryExprCstChildren = {
  Not?: IToken[];
  operand?: UnaryExprCstNode[];
  group?: GroupCstNode[];
  quantified?: QuantifiedCstNode[];
  constant?: (IToken)[];
  predicate?: PredicateCstNode[];
};

export interface GroupCstNode extends CstNode {
  name: "group";
  children: GroupCstChildren;
}

export type GroupCstChildren = {
  LParen: IToken[];
  orExpr: OrExprCstNode[];
  RParen: IToken[];
};

export interface QuantifiedCstNode extends CstNode {
  name: "quantified";
  children: QuantifiedCstChildren;
}

export type QuantifiedCstChildren = {
  quantifier?: (IToken)[];
  path: PathCstNode[];
  LParen: IToken[];
  body: OrExprCstNode[];
  RParen: IToken[];
};

export interface PredicateCstNode extends CstNode {
  name: "predicate";
  children: PredicateCstChildren;
}

export type PredicateCstChildren = {
  self?: IToken[];
  path?: PathCstNode[];
  operator?: (IToken)[];
  value?: (ValueCstNode)[];
  Nocase?: (IToken)[];
  valueList?: ValueListCstNode[];
  ListRef?: IToken[];
  RegexLiteral?: IToken[];
  range?: IToken[];
};

export interface PathCstNode extends CstNode {
  name: "path";
  children: PathCstChildren;
}

export type PathCstChildren = {
  head?: (IToken)[];
  Dot?: IToken[];
  segment?: (IToken)[];
  LBracket?: IToken[];
  RBracket?: IToken[];
};

export interface DottedNameCstNode extends CstNode {
  name: "dottedName";
  children: DottedNameCstChildren;
}

export type DottedNameCstChildren = {
  head: IToken[];
  Dot?: IToken[];
  segment?: (IToken)[];
  LBracket?: IToken[];
  RBracket?: IToken[];
};

export interface ValueCstNode extends CstNode {
  name: "value";
  children: ValueCstChildren;
}

export type ValueCstChildren = {
  StringLiteral?: IToken[];
  NumberLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  Null?: IToken[];
};

export interface ValueListCstNode extends CstNode {
  name: "valueList";
  children: ValueListCstChildren;
}

export type ValueListCstChildren = {
  LBracket: IToken[];
  items?: (ValueCstNode)[];
  Comma?: (IToken)[];
  RBracket: IToken[];
};

export interface JsonDocumentCstNode extends CstNode {
  name: "jsonDocument";
  children: JsonDocumentCstChildren;
}

export type JsonDocumentCstChildren = {
  jsonValue: JsonValueCstNode[];
};

export interface JsonValueCstNode extends CstNode {
  name: "jsonValue";
  children: JsonValueCstChildren;
}

export type JsonValueCstChildren = {
  jsonObject?: JsonObjectCstNode[];
  jsonArray?: JsonArrayCstNode[];
  StringLiteral?: IToken[];
  NumberLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  Null?: IToken[];
};

export interface JsonObjectCstNode extends CstNode {
  name: "jsonObject";
  children: JsonObjectCstChildren;
}

export type JsonObjectCstChildren = {
  LBrace: IToken[];
  members?: (JsonMemberCstNode)[];
  Comma?: (IToken)[];
  RBrace: IToken[];
};

export interface JsonMemberCstNode extends CstNode {
  name: "jsonMember";
  children: JsonMemberCstChildren;
}

export type JsonMemberCstChildren = {
  key: IToken[];
  Colon: IToken[];
  jsonValue: JsonValueCstNode[];
};

export interface JsonArrayCstNode extends CstNode {
  name: "jsonArray";
  children: JsonArrayCstChildren;
}

export type JsonArrayCstChildren = {
  LBracket: IToken[];
  items?: (JsonValueCstNode)[];
  Comma?: (IToken)[];
  RBracket: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  file(children: FileCstChildren, param?: IN): OUT;
  listDecl(children: ListDeclCstChildren, param?: IN): OUT;
  ruleDecl(children: RuleDeclCstChildren, param?: IN): OUT;
  metadataEntry(children: MetadataEntryCstChildren, param?: IN): OUT;
  metadataValue(children: MetadataValueCstChildren, param?: IN): OUT;
  conditionEntry(children: ConditionEntryCstChildren, param?: IN): OUT;
  testDecl(children: TestDeclCstChildren, param?: IN): OUT;
  binding(children: BindingCstChildren, param?: IN): OUT;
  orExpr(children: OrExprCstChildren, param?: IN): OUT;
  andExpr(children: AndExprCstChildren, param?: IN): OUT;
  unaryExpr(children: UnaryExprCstChildren, param?: IN): OUT;
  group(children: GroupCstChildren, param?: IN): OUT;
  quantified(children: QuantifiedCstChildren, param?: IN): OUT;
  predicate(children: PredicateCstChildren, param?: IN): OUT;
  path(children: PathCstChildren, param?: IN): OUT;
  dottedName(children: DottedNameCstChildren, param?: IN): OUT;
  value(children: ValueCstChildren, param?: IN): OUT;
  valueList(children: ValueListCstChildren, param?: IN): OUT;
  jsonDocument(children: JsonDocumentCstChildren, param?: IN): OUT;
  jsonValue(children: JsonValueCstChildren, param?: IN): OUT;
  jsonObject(children: JsonObjectCstChildren, param?: IN): OUT;
  jsonMember(children: JsonMemberCstChildren, param?: IN): OUT;
  jsonArray(children: JsonArrayCstChildren, param?: IN): OUT;
}
