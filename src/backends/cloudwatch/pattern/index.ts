// CloudWatch Logs JSON filter patterns: parse (and validate against the documented limits), print,
// evaluate on a JSON log event. Used by the CloudWatch backend's tests and by lint for hand-written
// pattern overrides.
export {
  patternLimits,
  type JsonPattern,
  type PatternNode,
  type PatternValue,
  type Selector,
} from "./ast.js";
export { patternMatches, evalPatternNode } from "./evaluate.js";
export { parsePattern, type ParseResult, type PatternError } from "./parse.js";
export { countRegexes, printPattern, printSelector } from "./print.js";
export { regexSourceProblem } from "./regex.js";
