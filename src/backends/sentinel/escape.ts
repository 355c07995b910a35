// Pure escape functions for the Sentinel target: KQL string literals, member names and numbers. The
// rule YAML's scalars use the YAML escaping shared by the YAML targets (src/backends/shared/yaml.ts).
import { printableAscii } from "../shared/yaml.js";

export { yamlDoubleQuoted, yamlString } from "../shared/yaml.js";

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

/**
 * A double-quoted KQL string literal whose value is exactly `s`, UTF-16 unit for unit (lone
 * surrogates included). Printable ASCII stays as it is (but `"` and `\`); every other unit becomes
 * `\uXXXX`, so the literal is one line of ASCII: safe in a YAML block scalar and in any editor.
 */
export function kqlString(s: string): string {
  // Printable ASCII: only `"` and `\` need a backslash.
  if (printableAscii.test(s)) return `"${s.replace(/["\\]/g, "\\$&")}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (unit >= 0x20 && unit < 0x7f) out += ch;
    else out += `\\u${hex4(unit)}`;
  }
  return out + '"';
}

/**
 * Words the Kusto parser does not take as a plain member name after a dot (checked against
 * Kusto.Language by the tests): a member with such a name is written `['name']`.
 */
export const kqlReservedMemberNames: ReadonlySet<string> = new Set(
  (
    "accumulate and anomalychart areachart as asc bagexpansion barchart between boolean by byte " +
    "cachingpolicy callout cancel card char columnchart contains contains_cs containscs cycles dataexport " +
    "datascope datatable date datetime decimal decodeblocks desc double dynamic earliest encodingpolicy " +
    "endswith endswith_cs expandoutput extent_tags_retention external_data externaldata find first flags " +
    "float force_remote harddelete hardretention has has_all has_any has_cs hasprefix hasprefix_cs " +
    "hassuffix hassuffix_cs hotcache in int int16 int32 int64 int8 invoke isfuzzy journal ladderchart last " +
    "latest like likecs linechart long materialize mdm missing nooptimization notcontains notcontainscs " +
    "notlike notlikecs of or others partitioned_by pathformat piechart pivotchart print project queries " +
    "query_results real relaxed restricted_view_access row_level_security rowstore rowstore_references " +
    "rowstore_sealinfo rowstorepolicy rowstores sample search seal seals set shards simple softdelete " +
    "softretention sql stackedareachart startswith startswith_cs statistics storedqueryresultcontainers " +
    "string tablepurge time timechart timeline timepivot timespan title to toscalar totable treemap uint " +
    "uint16 uint32 uint64 uint8 ulong union uniqueid unrestrictedviewers verbose viewers views where " +
    "with_itemindex with_match_id with_step_name writeaheadlog not null true false"
  ).split(" "),
);

const plainName = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `.name` when the parser reads it as a member name, else `['name']`. */
export function kqlMember(name: string): string {
  return plainName.test(name) && !kqlReservedMemberNames.has(name)
    ? `.${name}`
    : `[${kqlString(name)}]`;
}

/**
 * A KQL real literal equal to the double detc reads from a number literal's text: JavaScript's
 * shortest round-trip text, with a `.0` when it would otherwise read as an integer (a long).
 */
export function kqlReal(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(Object.is(value, -0) ? 0 : value);
  if (/^-?\d+$/.test(text)) return `${text}.0`;
  if (/e/.test(text) && !text.split("e")[0]!.includes(".")) {
    const [mantissa, exponent] = text.split("e");
    return `${mantissa}.0e${exponent}`;
  }
  return text;
}
