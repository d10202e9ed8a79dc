"""Metadata filters in Rucio's own syntax, checked before Rucio sees them.

The syntax is the one of `rucio did list --filter`: conditions `key<op>value` with the operators
`=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, joined by `,` (AND) and `;` (OR), one-sided or compound
(`1000<=run_number<2000`), `*` as a wildcard in values compared with `=` or `!=`. The parsed
groups are the dictionaries rucio-clients' `list_dids` takes (`{"run_number.gte": "1000"}`).

Rucio keeps metadata in two plugins: the columns of the DID table (their keys are listed below
with the type of their values) and the JSON plugin, which holds any other key. Rucio refuses a
filter that uses keys of both; `plan` tells the search which plugins a filter needs so that it
can answer such a filter itself (see metasearch.py). A value of the wrong type for a column, an
operator Rucio does not know or a wildcard with an ordering operator would make Rucio fail with
a database error; they are refused here with a message that names the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

MAX_FILTER_LENGTH = 2000
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
# Longest first: the tokeniser must read '<=' before '<' (as Rucio's does).
OPERATORS = ("<=", ">=", "==", "!=", ">", "<", "=")
SUFFIX = {"<=": "lte", ">=": "gte", "==": "", "!=": "ne", ">": "gt", "<": "lt", "=": ""}
REVERSED = {"lte": "gte", "gte": "lte", "lt": "gt", "gt": "lt", "": "", "ne": "ne"}
_TOKENS = re.compile("(" + "|".join(re.escape(op) for op in OPERATORS) + ")")
_ANY_OPERATOR_CHARS = re.compile(r"[<>=!~]+")
# What Rucio's filter engine turns into a number, a boolean or None (ast.literal_eval).
NUMBER_OR_CONSTANT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|True|False|None")
# The date formats Rucio's filter engine reads (rucio.core.did_meta_plugins.filter_engine).
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%fZ",
                "%Y-%m-%dT%H:%M:%S.%fZ")  # fmt: skip
TYPES = ("all", "collection", "dataset", "container", "file")

INT, TEXT, DATE, BOOL = "number", "text", "date", "boolean"
# The keys of the DID-column plugin and the type of their values: the columns of Rucio's DID
# table that its DidColumnMeta plugin manages, plus created_at, which Rucio filters on there.
DID_COLUMN_KEYS: dict[str, str] = {
    "datatype": TEXT, "project": TEXT, "run_number": INT, "stream_name": TEXT,
    "prod_step": TEXT, "version": TEXT, "campaign": TEXT, "events": INT, "guid": TEXT,
    "length": INT, "bytes": INT, "md5": TEXT, "adler32": TEXT, "task_id": INT, "panda_id": INT,
    "lumiblocknr": INT, "provenance": TEXT, "phys_group": TEXT, "access_cnt": INT,
    "created_at": DATE, "accessed_at": DATE, "closed_at": DATE, "eol_at": DATE,
    "expired_at": DATE, "deleted_at": DATE, "hidden": BOOL, "is_new": BOOL,
    "purge_replicas": BOOL, "transient": BOOL, "is_archive": BOOL, "constituent": BOOL,
}  # fmt: skip
ORDERING = {"lt", "lte", "gt", "gte"}
OPERATOR_OF = {"": "=", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


class FilterError(ValueError):
    """A filter Rucio would refuse or fail on; the message names the key and what to do."""


@dataclass(frozen=True)
class Condition:
    key: str
    suffix: str  # Rucio's operator suffix: '' (equals), 'ne', 'lt', 'lte', 'gt', 'gte'
    value: str

    @property
    def rucio_key(self) -> str:
        return f"{self.key}.{self.suffix}" if self.suffix else self.key


@dataclass(frozen=True)
class Filter:
    """Parsed filter: OR groups of AND-ed conditions, and the DID type the filter asks for."""

    groups: tuple[tuple[Condition, ...], ...]
    did_type: str | None = None

    @property
    def keys(self) -> set[str]:
        return {c.key for group in self.groups for c in group}

    def column_keys(self) -> set[str]:
        return {k for k in self.keys if k in DID_COLUMN_KEYS}

    def json_keys(self) -> set[str]:
        return {k for k in self.keys if k not in DID_COLUMN_KEYS and k != "name"}

    def rucio_filters(self, name: str, keys: set[str] | None = None) -> list[dict[str, str]]:
        """The filters for rucio-clients' list_dids, restricted to `keys` when given."""
        groups = self.groups or ((),)
        result = []
        for group in groups:
            wanted = {c.rucio_key: c.value for c in group if keys is None or c.key in keys}
            wanted.setdefault("name", name)
            result.append(wanted)
        return result


def _is_int(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d{1,18}", text) is not None


def _is_date(text: str) -> bool:
    for fmt in DATE_FORMATS:
        try:
            datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False


def _check_value(condition: Condition) -> None:
    key, value = condition.key, condition.value
    shown = f"{key}{OPERATOR_OF[condition.suffix]}{value}"
    if value == "":
        raise FilterError(f"{key}: the condition {shown!r} has no value; write e.g. {key}=value")
    wildcard = "*" in value or "%" in value
    if wildcard and condition.suffix in ORDERING:
        raise FilterError(
            f"{key}: a wildcard value ({value!r}) only works with = or !=, not with "
            f"{OPERATOR_OF[condition.suffix]}"
        )
    kind = DID_COLUMN_KEYS.get(key)
    if key == "name" and condition.suffix not in ("", "ne"):
        raise FilterError("name: compare names with = or != (wildcards allowed)")
    if kind == INT and not _is_int(value):
        raise FilterError(f"{key} holds whole numbers: {value!r} is not one (e.g. {key}>=1000)")
    if kind == DATE and not _is_date(value):
        raise FilterError(
            f"{key} holds dates: write {value!r} as YYYY-MM-DD HH:MM:SS "
            f"(e.g. {key}>=2024-03-01 00:00:00)"
        )
    if kind == BOOL and value.lower() not in ("true", "false"):
        raise FilterError(f"{key} is true or false, not {value!r}")
    if kind == TEXT and not wildcard and (_looks_typed(value)):
        raise FilterError(
            f"{key} holds text, but Rucio reads {value!r} as a number or date: "
            f"quote it, e.g. {key}='{value}'"
        )


def _looks_typed(value: str) -> bool:
    if _is_date(value):
        return True
    if any(op in value for op in "+-*/"):
        return False  # Rucio leaves such values as text
    return NUMBER_OR_CONSTANT.fullmatch(value) is not None


def _condition(key: str, operator: str, value: str, clause: str) -> Condition:
    if not KEY.match(key):
        raise FilterError(
            f"{key or clause!r} is not a metadata key: keys are letters, digits and _ "
            "(e.g. run_number>=1000)"
        )
    return Condition(key, SUFFIX[operator], value)


def _clause_key(clause: str) -> str:
    match = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", clause)
    return match.group(1) if match else clause


def _parse_clause(clause: str) -> list[Condition]:
    tokens = [t.strip() for t in _TOKENS.split(clause) if t.strip()]
    if len(tokens) == 3 and tokens[1] in SUFFIX and tokens[0] not in SUFFIX:
        return [_condition(tokens[0], tokens[1], tokens[2], clause)]
    if len(tokens) == 5 and tokens[1] in SUFFIX and tokens[3] in SUFFIX:
        low, op1, key, op2, high = tokens
        first, second = SUFFIX[op1], SUFFIX[op2]
        if first not in ("lt", "lte") or second not in ("lt", "lte"):
            raise FilterError(
                f"{key}: a range is written low<key<high or low<=key<=high, e.g. 1000<={key}<2000"
            )
        lower = _condition(key, op2, high, clause)
        return [Condition(key, REVERSED[first], low), lower]
    key = _clause_key(clause)
    found = _ANY_OPERATOR_CHARS.findall(clause)
    if found and all(op in SUFFIX for op in found) and len(tokens) < 3:
        raise FilterError(f"{key}: the condition {clause.strip()!r} has no value")
    operators = ", ".join(o for o in OPERATORS if o != "==")
    raise FilterError(
        f"{key}: {clause.strip()!r} has no operator Rucio understands; use one of {operators} "
        f"(e.g. {key}>=1000)"
    )


def parse_filter(text: str) -> Filter:
    """Parses a filter string; raises FilterError with a message that names the key."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(f"the filter is longer than {MAX_FILTER_LENGTH} characters")
    groups: list[tuple[Condition, ...]] = []
    did_types: set[str] = set()
    for or_group in filter(None, (g.strip() for g in text.split(";"))):
        conditions: list[Condition] = []
        seen: set[str] = set()
        for clause in filter(None, (c.strip() for c in or_group.split(","))):
            for condition in _parse_clause(clause):
                if condition.key == "type":
                    if condition.suffix or condition.value.lower() not in TYPES:
                        raise FilterError(f"type: write type=one of {', '.join(TYPES)}")
                    did_types.add(condition.value.lower())
                    continue
                _check_value(condition)
                if condition.rucio_key in seen:
                    raise FilterError(
                        f"{condition.key}: the same condition appears twice; join alternatives "
                        f"with ';' (OR)"
                    )
                seen.add(condition.rucio_key)
                conditions.append(condition)
        groups.append(tuple(conditions))
    if len(did_types) > 1:
        raise FilterError("type: give one type for the whole filter")
    if groups and not any(groups):
        groups = []
    return Filter(tuple(groups), next(iter(did_types), None))


def plan(parsed: Filter) -> str:
    """Which plugins answer the filter: 'column' (no JSON key), 'json' (only JSON keys) or
    'mixed' (both, in a filter without OR, which the search answers as an intersection).
    Raises FilterError for both kinds combined with OR."""
    columns, json_keys = parsed.column_keys(), parsed.json_keys()
    if not json_keys:
        return "column"
    if not columns:
        return "json"
    if len(parsed.groups) > 1:
        raise FilterError(
            f"{', '.join(sorted(json_keys))} (JSON metadata) and {', '.join(sorted(columns))} "
            "(DID columns) are kept by different metadata plugins, which Rucio cannot combine "
            "with ';' (OR): search for each alternative separately"
        )
    return "mixed"
