"""Compile OCDS releases into a record: the compiled release and the versioned release.

Our own merger, written for speed and for streaming (one ocid's releases in, one record out; no
flattening of the whole document into path tuples). It follows the OCDS 1.1 merge rules as
OCDS Merge (`ocdsmerge`, which `ocdskit compile` uses) implements them, including its corners,
and the tests compare the two on the same releases:

- releases are merged in `date` order (a stable sort on the string, as OCDS Merge does);
- `id`, `date` and `tag` of a release are omitted (omitWhenMerged); the compiled release gets
  `id` = "<ocid>-<date of the last release>", that date, and the tag ["compiled"];
- a scalar, an array of non-objects or a wholeListMerge array replaces the earlier value, and
  null removes it; an empty object or a non-wholeListMerge empty array changes nothing;
- objects merge key by key; arrays of objects merge item by item on `id` (an item without `id`
  is always a new item); items keep the order in which they first appeared;
- null in place of an object or array that has content leaves it as it is;
- an object appears once any value (even null) was given inside it.

The versioned release keeps, for every value, the list of {releaseID, releaseDate, releaseTag,
value} changes; ids of array items stay plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

OMIT = "omitWhenMerged"
WHOLE = "wholeListMerge"

# The merge rules of the OCDS 1.1.5 release schema with our extension (paths without positions). The test
# suite derives them from ../shared/ocds/release-schema.json patched with our extension, with
# our derivation and with OCDS Merge's, and compares with this table.
MERGE_RULES: dict[tuple[str, ...], str] = {
    ("id",): OMIT,
    ("date",): OMIT,
    ("tag",): OMIT,
    ("awards", "amendment", "changes"): WHOLE,
    ("awards", "amendments", "changes"): WHOLE,
    ("awards", "items", "additionalClassifications"): WHOLE,
    ("awards", "suppliers", "additionalIdentifiers"): WHOLE,
    ("buyer", "additionalIdentifiers"): WHOLE,
    ("contracts", "amendment", "changes"): WHOLE,
    ("contracts", "amendments", "changes"): WHOLE,
    ("contracts", "implementation", "transactions", "payee", "additionalIdentifiers"): WHOLE,
    ("contracts", "implementation", "transactions", "payer", "additionalIdentifiers"): WHOLE,
    ("contracts", "items", "additionalClassifications"): WHOLE,
    ("contracts", "relatedProcesses", "relationship"): WHOLE,
    ("parties", "additionalIdentifiers"): WHOLE,
    ("planning", "conversionTransfers", "fromInstitution", "additionalIdentifiers"): WHOLE,  # our extension
    ("parties", "roles"): WHOLE,
    ("relatedProcesses", "relationship"): WHOLE,
    ("tender", "additionalProcurementCategories"): WHOLE,
    ("tender", "amendment", "changes"): WHOLE,
    ("tender", "amendments", "changes"): WHOLE,
    ("tender", "items", "additionalClassifications"): WHOLE,
    ("tender", "procuringEntity", "additionalIdentifiers"): WHOLE,
    ("tender", "submissionMethod"): WHOLE,
    ("tender", "tenderers", "additionalIdentifiers"): WHOLE,
}


class InconsistentTypeError(ValueError):
    """One release has an object where an earlier one had a value (or the other way round)."""


def merge_rules_from_schema(schema: dict[str, Any]) -> dict[tuple[str, ...], str]:
    """Derive the merge rules from a (patched) release schema with internal $refs."""
    definitions = schema.get("definitions", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/definitions/"):
                raise ValueError(f"only internal $refs are supported, got {ref}")
            node = definitions[ref.removeprefix("#/definitions/")]
            seen += 1
            if seen > 50:
                raise ValueError("circular $ref")
        return node

    def types(node: dict[str, Any]) -> list[str]:
        kind = node.get("type", [])
        return [kind] if isinstance(kind, str) else list(kind)

    rules: dict[tuple[str, ...], str] = {}

    def walk(properties: dict[str, Any], path: tuple[str, ...]) -> None:
        for key, raw in properties.items():
            value = resolve(raw)
            here = (*path, key)
            kinds = types(value)
            if value.get("omitWhenMerged") or value.get("mergeStrategy") == "ocdsOmit":
                rules[here] = OMIT
            elif "array" in kinds and (value.get("wholeListMerge") or value.get("mergeStrategy") == "ocdsVersion"):
                rules[here] = WHOLE
            elif "object" in kinds and "properties" in value:
                walk(value["properties"], here)
            elif "array" in kinds and "items" in value:
                items = resolve(value["items"])
                item_kinds = types(items)
                if any(kind != "object" for kind in item_kinds):
                    rules[here] = WHOLE
                elif "object" in item_kinds and "properties" in items:
                    if "id" not in items["properties"]:
                        rules[here] = WHOLE
                    else:
                        walk(items["properties"], here)

    walk(schema["properties"], ())
    return rules


# --- The merged tree -----------------------------------------------------------------------------
# A node is a dict: key -> _Obj | _Arr | a leaf. A leaf is the bare value in a compiled merge and
# the list of changes ({releaseID, releaseDate, releaseTag, value}) in a versioned one. Python
# dicts keep insertion order, which is the order of first appearance OCDS Merge gives array items.


class _Obj:
    __slots__ = ("children", "touched")

    def __init__(self) -> None:
        self.children: dict[str, Any] = {}
        self.touched = False


class _Arr:
    __slots__ = ("items", "touched")

    def __init__(self) -> None:
        # (type, id) -> (original id or None, _Obj); items without an id get a private key.
        self.items: dict[Any, tuple[Any, _Obj]] = {}
        self.touched = False


class _NoId:
    """Key of an array item that had no `id`: equal only to itself, so never merged."""

    __slots__ = ()


# The rules as a tree, {key: (rule or None, the rules below it)}: looking a key up in its
# parent's node costs one dict lookup, where a path tuple had to be built and hashed for every key
# of every object (a third of the merge time on large releases; bench/compile_fair.py).
_RuleTree = dict[str, tuple[str | None, "_RuleTree"]]
_NO_RULES: _RuleTree = {}
_trees: dict[int, tuple[dict[tuple[str, ...], str], _RuleTree]] = {}


def _rule_tree(rules: dict[tuple[str, ...], str]) -> _RuleTree:
    cached = _trees.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    tree: _RuleTree = {}
    for path, rule in rules.items():
        node = tree
        for position, key in enumerate(path):
            last = position == len(path) - 1
            current, below = node.get(key, (None, {}))
            node[key] = (rule if last else current, below)
            node = below
    if len(_trees) > 32:  # rules derived per call (ocds_compile --schema) must not pile up
        _trees.clear()
    _trees[id(rules)] = (rules, tree)
    return tree


class _Merger:
    def __init__(self, rules: dict[tuple[str, ...], str], versioned: bool) -> None:
        self.rules = _rule_tree(rules)
        self.versioned = versioned
        self.root = _Obj()
        self.meta: dict[str, Any] = {}
        self.release_no = 0
        self.out_versioned = versioned
        # The histories the current release wrote to (by id; they live as long as the merge).
        self.written: set[int] = set()

    def _set_leaf(self, node: dict[str, Any], key: str, value: Any) -> None:
        existing = node.get(key)
        if isinstance(existing, (_Obj, _Arr)):
            # A value (even null) where an object or array already has content leaves it as it
            # is: OCDS Merge rebuilds the object from its inner paths and skips the outer one.
            return
        if not self.versioned:
            # A compiled merge keeps the bare value and a versioned one the bare list of changes:
            # no wrapper object per leaf (allocating them, and the collector's passes over them,
            # were half the merge's time on large releases; bench/compile_fair.py).
            node[key] = value
            return
        history: list[dict[str, Any]]
        if existing is None:
            history = []
            node[key] = history
        else:
            history = existing
            if id(history) in self.written:
                # The same path twice in one release (duplicate ids): the last value counts, as
                # one entry, compared with what earlier releases said.
                history.pop()
                self.written.discard(id(history))
        if not history or value != history[-1]["value"]:
            history.append({**self.meta, "value": value})
            self.written.add(id(history))

    def merge_object(self, target: _Obj, obj: dict[str, Any], rules: _RuleTree) -> bool:
        """Merge `obj` into `target`; True when any value was given inside (touching it)."""
        touched = False
        children = target.children
        for key, value in obj.items():
            rule, below = rules.get(key) or (None, _NO_RULES)
            if rule == OMIT:
                continue
            if (
                rule == WHOLE
                or not isinstance(value, (dict, list))
                or (type(value) is list and any(not isinstance(item, dict) for item in value))
            ):
                # Any value, null included, makes the enclosing objects appear.
                self._set_leaf(children, key, value)
                touched = True
            elif not value:
                continue
            else:
                cls = _Obj if isinstance(value, dict) else _Arr
                existing = children.get(key)
                child = existing if isinstance(existing, cls) else cls()
                merged = (
                    self.merge_object(child, value, below)
                    if isinstance(child, _Obj)
                    else self.merge_array(child, value, below)
                )
                if not merged:
                    continue
                if child is not existing:
                    # Only content makes a conflict: an object that adds nothing never clashes.
                    # A compiled merge's null is no content; a versioned merge's history always is.
                    if existing is not None:
                        raise InconsistentTypeError(f"an object or array meets another type at {key!r}")
                    children[key] = child
                child.touched = True
                touched = True
        return touched

    def merge_array(self, target: _Arr, items: list[dict[str, Any]], rules: _RuleTree) -> bool:
        touched = False
        for item in items:
            if "id" in item:
                original = item["id"]
                # 2 and "2" are different items here; OCDS Merge mixes them half-way (its
                # keys compare as strings, its items do not), which no publisher should rely on.
                key: Any = (type(original).__name__, original)
            else:
                original = None
                key = _NoId()
            entry = target.items.get(key)
            if entry is None:
                entry = (original, _Obj())
                target.items[key] = entry
            obj = entry[1]
            if self.merge_object(obj, item, rules):
                obj.touched = True
                touched = True
            elif not obj.touched:
                del target.items[key]
        return touched

    def append(self, release: dict[str, Any]) -> None:
        self.release_no += 1
        self.written.clear()
        if self.versioned:
            self.meta = {
                "releaseID": release.get("id"),
                "releaseDate": release.get("date"),
                "releaseTag": release.get("tag"),
            }
        body = {key: value for key, value in release.items() if key not in ("tag", "ocid")}
        self.merge_object(self.root, body, self.rules)

    def output(self, versioned: bool | None = None) -> dict[str, Any]:
        """The merged release; a versioned merge can give the compiled one too (versioned=False):
        each leaf's value is the last one of its history."""
        self.out_versioned = self.versioned if versioned is None else versioned
        if self.out_versioned and not self.versioned:
            raise ValueError("a compiled merge has no history to give a versioned release")
        return self._out_obj(self.root)

    def _out_obj(self, obj: _Obj, item_id: Any = None, has_id: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if has_id:
            out["id"] = item_id
        for key, child in obj.children.items():
            if has_id and key == "id":
                continue
            if isinstance(child, _Obj):
                if child.touched:
                    out[key] = self._out_obj(child)
            elif isinstance(child, _Arr):
                if child.touched:
                    out[key] = [
                        self._out_obj(item, original, original is not None)
                        for original, item in child.items.values()
                        if item.touched
                    ]
            elif self.out_versioned:  # the list of changes of a versioned merge
                out[key] = child
            elif self.versioned:  # the compiled value from a versioned merge: its last change
                if child[-1]["value"] is not None:
                    out[key] = child[-1]["value"]
            elif child is not None:  # a bare value of a compiled merge
                out[key] = child
        return out


def sorted_releases(releases: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    releases = list(releases)
    if len(releases) == 1:
        return releases
    return sorted(releases, key=itemgetter("date"))


def _merged(releases: list[dict[str, Any]], rules: dict[tuple[str, ...], str] | None, versioned: bool) -> _Merger:
    if not releases:
        raise ValueError("a record needs at least one release")
    merger = _Merger(MERGE_RULES if rules is None else rules, versioned=versioned)
    for release in releases:
        merger.append(release)
    return merger


def _compiled_output(ordered: list[dict[str, Any]], merged: _Merger) -> dict[str, Any]:
    last = ordered[-1]
    ocid = last.get("ocid")
    out = {"tag": ["compiled"], "id": f"{ocid}-{last.get('date')}", "date": last.get("date"), "ocid": ocid}
    out.update(merged.output(versioned=False))
    return out


def compiled_release(
    releases: Iterable[dict[str, Any]], rules: dict[tuple[str, ...], str] | None = None
) -> dict[str, Any]:
    ordered = sorted_releases(releases)
    return _compiled_output(ordered, _merged(ordered, rules, versioned=False))


def versioned_release(
    releases: Iterable[dict[str, Any]], rules: dict[tuple[str, ...], str] | None = None
) -> dict[str, Any]:
    ordered = sorted_releases(releases)
    merged = _merged(ordered, rules, versioned=True)
    return {"ocid": ordered[-1].get("ocid"), **merged.output()}


def compile_releases(
    releases: Iterable[dict[str, Any]], rules: dict[tuple[str, ...], str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(compiledRelease, versionedRelease) of one contracting process's releases.

    One versioned merge gives both (OCDS Merge, and this module until issue 17, merged the
    releases twice): a record costs one pass over its releases."""
    ordered = sorted_releases(releases)
    merged = _merged(ordered, rules, versioned=True)
    return _compiled_output(ordered, merged), {"ocid": ordered[-1].get("ocid"), **merged.output(versioned=True)}


def record_for(
    ocid: str, releases: list[dict[str, Any]], rules: dict[tuple[str, ...], str] | None = None
) -> dict[str, Any]:
    compiled, versioned = compile_releases(releases, rules)
    return {"ocid": ocid, "releases": releases, "compiledRelease": compiled, "versionedRelease": versioned}


def records_from_releases(
    releases: Iterable[dict[str, Any]], rules: dict[tuple[str, ...], str] | None = None
) -> Iterator[dict[str, Any]]:
    """Group by ocid (in order of first appearance) and compile each group."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        if not isinstance(release, dict) or "ocid" not in release:
            raise ValueError("every release must be an object with an ocid")
        groups.setdefault(release["ocid"], []).append(release)
    for ocid in sorted(groups):
        yield record_for(ocid, groups[ocid], rules)
