// The Python helpers a generated rule carries: detc's semantics (language.md §3) in plain Python, so
// each rule is self-contained (stdlib only, no Panther global helpers). A rule file holds only the
// helpers its condition uses, in this order.

export type PythonImport = "ipaddress" | "json" | "re";

export interface PythonHelper {
  code: string;
  /** Helpers this one calls. */
  uses: HelperName[];
  imports: PythonImport[];
}

export type HelperName =
  | "_plain"
  | "_get"
  | "_array"
  | "_number"
  | "_lower"
  | "_equals"
  | "_one_of"
  | "_order"
  | "_lt"
  | "_le"
  | "_gt"
  | "_ge"
  | "_contains"
  | "_starts_with"
  | "_ends_with"
  | "_search"
  | "_address"
  | "_in_network"
  | "_is_empty";

const orderHelper = (name: string, op: string, text: string): PythonHelper => ({
  code: `def ${name}(value, bound):
    """value ${text} bound, for two numbers or two strings only."""
    order = _order(value, bound)
    return order is not None and order ${op} 0`,
  uses: ["_order"],
  imports: [],
});

export const helpers: Record<HelperName, PythonHelper> = {
  _plain: {
    code: `def _plain(event):
    """The event as a plain dict (Panther's event object matches keys case-insensitively)."""
    to_dict = getattr(event, "to_dict", None)
    return to_dict() if callable(to_dict) else event`,
    uses: [],
    imports: [],
  },
  _get: {
    code: `def _get(value, *path):
    """Follow a path exactly: case-sensitive keys; a key never looks into a list, an index does."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    return value`,
    uses: [],
    imports: [],
  },
  _array: {
    code: `def _array(value):
    """The elements of a list; anything else (missing, null, a string, an object) has none."""
    return value if isinstance(value, list) else ()`,
    uses: [],
    imports: [],
  },
  _number: {
    code: `def _number(value):
    """A JSON number as the float detc compares, else None: booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")`,
    uses: [],
    imports: [],
  },
  _lower: {
    code: `def _lower(value):
    """A string folded for a nocase comparison, else None."""
    return value.lower() if isinstance(value, str) else None`,
    uses: [],
    imports: [],
  },
  _equals: {
    code: `def _equals(value, expected, nocase=False):
    """Typed equality: a string only equals a string, a number a number, a boolean a boolean."""
    if isinstance(expected, str):
        if not isinstance(value, str):
            return False
        return value.lower() == expected.lower() if nocase else value == expected
    if isinstance(expected, bool):
        return isinstance(value, bool) and value == expected
    number = _number(expected)
    return number is not None and _number(value) == number`,
    uses: ["_number"],
    imports: [],
  },
  _one_of: {
    code: `def _one_of(value, values, nocase=False):
    """Typed membership in a list of JSON values; a list or an object is never a member."""
    return any(_equals(value, expected, nocase) for expected in values)`,
    uses: ["_equals"],
    imports: [],
  },
  _order: {
    code: `def _order(value, bound):
    """-1, 0 or 1 comparing two numbers or two strings (by code point); None for any other pair."""
    if isinstance(value, str) and isinstance(bound, str):
        a, b = value, bound
    else:
        a, b = _number(value), _number(bound)
        if a is None or b is None:
            return None
    return (a > b) - (a < b)`,
    uses: ["_number"],
    imports: [],
  },
  _lt: orderHelper("_lt", "<", "<"),
  _le: orderHelper("_le", "<=", "<="),
  _gt: orderHelper("_gt", ">", ">"),
  _ge: orderHelper("_ge", ">=", ">="),
  _contains: {
    code: `def _contains(value, part):
    """A string containing part; other values contain nothing."""
    return isinstance(value, str) and part in value`,
    uses: [],
    imports: [],
  },
  _starts_with: {
    code: `def _starts_with(value, prefix):
    """A string starting with prefix; other values start with nothing."""
    return isinstance(value, str) and value.startswith(prefix)`,
    uses: [],
    imports: [],
  },
  _ends_with: {
    code: `def _ends_with(value, suffix):
    """A string ending with suffix; other values end with nothing."""
    return isinstance(value, str) and value.endswith(suffix)`,
    uses: [],
    imports: [],
  },
  _search: {
    code: `def _search(pattern, value):
    """An unanchored search in a string; other values never match."""
    return isinstance(value, str) and pattern.search(value) is not None`,
    uses: [],
    imports: [],
  },
  _address: {
    code: `_IPV4_TEXT = re.compile(r"(?:0|[1-9][0-9]*)(?:\\.(?:0|[1-9][0-9]*)){3}")
_ZONE_TEXT = re.compile(r"[0-9A-Za-z]+")


def _address(text):
    """An IP address as detc reads one (dotted-quad IPv4, or IPv6, which has a ':'), else None."""
    try:
        if _IPV4_TEXT.fullmatch(text):
            return ipaddress.IPv4Address(text)
        if ":" in text:
            if "%" in text and not _ZONE_TEXT.fullmatch(text.partition("%")[2]):
                return None
            return ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return None`,
    uses: [],
    imports: ["ipaddress", "re"],
  },
  _in_network: {
    code: `def _in_network(value, network):
    """A string holding an address in network; IPv4 is never in an IPv6 network, nor the reverse."""
    address = _address(value) if isinstance(value, str) else None
    return address is not None and address.version == network.version and address in network`,
    uses: ["_address"],
    imports: ["ipaddress"],
  },
  _is_empty: {
    code: `def _is_empty(value):
    """Missing, null, "", [] or {}."""
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)`,
    uses: [],
    imports: [],
  },
};

const order = Object.keys(helpers) as HelperName[];

/** The helpers needed (with the ones they call), in file order. */
export function helperClosure(used: Iterable<HelperName>): HelperName[] {
  const needed = new Set<HelperName>();
  const add = (name: HelperName) => {
    if (needed.has(name)) return;
    needed.add(name);
    helpers[name].uses.forEach(add);
  };
  for (const name of used) add(name);
  return order.filter((name) => needed.has(name));
}
