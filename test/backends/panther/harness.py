"""Runs generated Panther rules the way Panther's analysis tool does, on a stand-in event object.

Usage: python3 harness.py SPEC.json  (prints one JSON document: the results, in case order)

SPEC: {"modules": {"<key>": "<path to .py>"},
       "cases": [{"module": "<key>", "event": {...}, "mocks": [{"objectName": ..., "returnValue": ...}],
                  "extras": true}]}

The stand-in event is a read-only, case-INsensitive mapping with get() and deep_get() (which stops at
lists, as Panther's does) and to_dict(): a rule that used it instead of exact lookups on to_dict()
would see "EventName" where detc says the field is missing, and the comparison with the evaluator
would fail. Mocks replace the module attribute, as Panther's tool does with unittest.mock.
"""

import copy
import importlib.util
import json
import sys
from collections.abc import Mapping


class PantherEvent(Mapping):
    def __init__(self, data):
        self._data = data

    def _key(self, key):
        if key in self._data:
            return key
        lowered = key.lower() if isinstance(key, str) else key
        for candidate in self._data:
            if isinstance(candidate, str) and candidate.lower() == lowered:
                return candidate
        raise KeyError(key)

    def __getitem__(self, key):
        return _immutable(self._data[self._key(key)])

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def deep_get(self, *keys, default=None):
        value = self
        for key in keys:
            if not isinstance(value, Mapping):
                return default
            value = value.get(key)
            if value is None:
                return default
        return value

    def to_dict(self):
        return copy.deepcopy(self._data)


def _immutable(value):
    if isinstance(value, dict):
        return PantherEvent(value)
    if isinstance(value, list):
        return tuple(_immutable(v) for v in value)
    return value


def _load(key, path):
    spec = importlib.util.spec_from_file_location(f"detc_rule_{key}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _returning(value):
    return lambda *args, **kwargs: value


def run_case(module, case):
    mocks = case.get("mocks") or []
    saved = {}
    for mock in mocks:
        name = mock["objectName"]
        if not hasattr(module, name):
            return {"error": f"mock of a name the module does not define: {name}"}
        saved[name] = getattr(module, name)
        setattr(module, name, _returning(mock["returnValue"]))
    try:
        event = PantherEvent(case["event"])
        result = module.rule(event)
        out = {"result": result if type(result) is bool else repr(result), "bool": type(result) is bool}
        if case.get("extras"):
            title = module.title(event)
            if type(title) is not str:
                out["error"] = f"title() returned {title!r}"
            if hasattr(module, "alert_context"):
                context = module.alert_context(event)
                if not isinstance(context, dict):
                    out["error"] = f"alert_context() returned {context!r}"
                json.dumps(context)
        return out
    except Exception as exc:  # pylint: disable=broad-except
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        for name, original in saved.items():
            setattr(module, name, original)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    modules = {}
    errors = {}
    for key, path in spec["modules"].items():
        try:
            modules[key] = _load(key, path)
        except Exception as exc:  # pylint: disable=broad-except
            errors[key] = f"{type(exc).__name__}: {exc}"
    results = []
    for case in spec["cases"]:
        key = case["module"]
        if key in errors:
            results.append({"error": f"import failed: {errors[key]}"})
        else:
            results.append(run_case(modules[key], case))
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
