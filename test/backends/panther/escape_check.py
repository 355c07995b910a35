"""Checks escape.ts output in Python: python3 escape_check.py SPEC.json (prints JSON findings).

SPEC: {"module": path of a generated module defining STRINGS, COMMENTS (a comment per line),
       NUMBERS and REGEXES; "strings": expected STRINGS; "numbers": expected float values;
       "regexes": expected REGEXES texts; "searches": [{"pattern", "subjects"}];
       "yaml": [{"text", "expected"}]}  (the YAML checks need PyYAML; skipped without it)
"""

import json
import re
import sys
import tokenize
import unicodedata


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    out = {}
    with open(spec["module"], encoding="utf-8") as handle:
        source = handle.read()
    namespace = {}
    exec(compile(source, spec["module"], "exec"), namespace)  # pylint: disable=exec-used
    out["strings"] = [i for i, (got, want) in enumerate(zip(namespace["STRINGS"], spec["strings"])) if got != want]
    out["stringCount"] = len(namespace["STRINGS"])
    out["numbers"] = [i for i, (got, want) in enumerate(zip(namespace["NUMBERS"], spec["numbers"])) if got != float(want)]
    out["regexes"] = [i for i, (got, want) in enumerate(zip(namespace["REGEXES"], spec["regexes"])) if got != want]
    with open(spec["module"], "rb") as handle:
        comments = [t for t in tokenize.tokenize(handle.readline) if t.type == tokenize.COMMENT]
    out["comments"] = len(comments)
    out["searches"] = []
    for case in spec["searches"]:
        pattern = re.compile(case["pattern"])
        out["searches"].append([pattern.search(s) is not None for s in case["subjects"]])
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        out["yaml"] = None
    else:
        out["yaml"] = []
        for i, case in enumerate(spec["yaml"]):
            try:
                loaded = yaml.safe_load(case["text"])
            except yaml.YAMLError as exc:
                loaded = f"error: {exc}"
            if (loaded or {}) != case["expected"]:
                out["yaml"].append([i, repr(loaded)[:300]])
    # Code points where Python's str.lower() differs from JavaScript's toLowerCase(), and whether
    # Python's Unicode database even knows them.
    js_lower = {int(k): v for k, v in spec["jsLower"].items()}
    differs = []
    for cp in range(0x110000):
        ch = chr(cp)
        py = ch.lower()
        js = js_lower.get(cp, ch)
        if py != js:
            differs.append([cp, unicodedata.category(ch)])
    out["lowerDiffers"] = differs
    out["unicode"] = unicodedata.unidata_version
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
