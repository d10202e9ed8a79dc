"""The one code generator: variables holding paths, as source code in the kernel's language.

Every route that puts values into a kernel or a notebook (silent injection, "insert as code
cell", `jupyter rucio resolve --inplace`) goes through `generate`. Values are always plain
strings or lists of strings, written as ASCII-only literals in which every character that could
end the literal, start an escape or an interpolation (`"`, `\\`, Julia's `$`), every control
character and everything outside ASCII is escaped. No DID name and no path can therefore run as
code. Variable names are checked against the language's identifier rules and keywords.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Value = str | Sequence[str]


class CodegenError(ValueError):
    """A variable name or value cannot be written safely; the message says which and why."""


# --- variable names ----------------------------------------------------------------------------
# Names are limited to ASCII so that they read the same in every editor and locale.
_PYTHON_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# R's syntactic names: a letter, or a dot not followed by a digit, then letters, digits, . and _.
_R_NAME = re.compile(r"^(?:[A-Za-z]|\.(?![0-9]))[A-Za-z0-9._]*$")
_JULIA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_!]*$")

# R's ?Reserved, plus `...` and `..1`, `..2`, ... (checked by pattern).
R_RESERVED = frozenset(
    "if else repeat while function for next break in TRUE FALSE NULL Inf NaN NA NA_integer_ "
    "NA_real_ NA_character_ NA_complex_".split()
)
# Julia's keywords, and `public`, which starts a top-level statement as a keyword.
JULIA_KEYWORDS = frozenset(
    "baremodule begin break catch const continue do else elseif end export false finally for "
    "function global if import let local macro module quote return struct true try using "
    "while public".split()
)
_R_NAME_RULE = (
    "an R name starts with a letter or a dot not followed by a digit, "
    "then letters, digits, '.' or '_'"
)


def _check_r_name(name: str) -> str | None:
    if not _R_NAME.match(name):
        return _R_NAME_RULE
    if name in R_RESERVED or re.match(r"^\.\.(\.|[0-9]+)$", name):
        return f"{name} is reserved in R"
    return None


def _check_python_name(name: str) -> str | None:
    if not _PYTHON_NAME.match(name):
        return "a Python name starts with a letter or '_', then letters, digits or '_'"
    if keyword.iskeyword(name) or name == "__debug__":
        return f"{name} is a Python keyword"
    return None


def _check_julia_name(name: str) -> str | None:
    if not _JULIA_NAME.match(name):
        return "a Julia name starts with a letter or '_', then letters, digits, '_' or '!'"
    if name in JULIA_KEYWORDS or set(name) == {"_"}:
        return f"{name} is reserved in Julia"
    return None


# --- string literals ---------------------------------------------------------------------------
def _checked_codepoints(value: str) -> list[int]:
    if not isinstance(value, str):
        raise CodegenError(f"values must be strings, not {type(value).__name__}")
    points = [ord(c) for c in value]
    for point in points:
        if point == 0:
            raise CodegenError("a value contains a NUL character")
        if 0xD800 <= point <= 0xDFFF:
            raise CodegenError("a value contains a lone surrogate (not valid text)")
    return points


def _literal(value: str, specials: Mapping[int, str]) -> str:
    """A double-quoted literal: printable ASCII as is, the rest as fixed-width \\u/\\U escapes.

    All three languages read `\\uXXXX` (exactly four hex digits) and `\\UXXXXXXXX` (eight).
    """
    out = ['"']
    for point in _checked_codepoints(value):
        if point in specials:
            out.append(specials[point])
        elif 0x20 <= point < 0x7F:
            out.append(chr(point))
        elif point <= 0xFFFF:
            out.append(f"\\u{point:04x}")
        else:
            out.append(f"\\U{point:08x}")
    out.append('"')
    return "".join(out)


_QUOTE_AND_BACKSLASH = {ord('"'): '\\"', ord("\\"): "\\\\"}
_JULIA_SPECIALS = {**_QUOTE_AND_BACKSLASH, ord("$"): "\\$"}


def _python(name: str, value: Value) -> str:
    if isinstance(value, str):
        return f"{name} = {_literal(value, _QUOTE_AND_BACKSLASH)}"
    items = ", ".join(_literal(v, _QUOTE_AND_BACKSLASH) for v in value)
    return f"{name} = [{items}]"


def _r(name: str, value: Value) -> str:
    if isinstance(value, str):
        return f"{name} <- {_literal(value, _QUOTE_AND_BACKSLASH)}"
    if not value:
        return f"{name} <- character(0)"
    items = ", ".join(_literal(v, _QUOTE_AND_BACKSLASH) for v in value)
    return f"{name} <- c({items})"


def _julia(name: str, value: Value) -> str:
    if isinstance(value, str):
        return f"{name} = {_literal(value, _JULIA_SPECIALS)};"
    items = ", ".join(_literal(v, _JULIA_SPECIALS) for v in value)
    return f"{name} = String[{items}];"


@dataclass(frozen=True)
class Language:
    name: str
    check_name: Callable[[str], str | None]
    assign: Callable[[str, Value], str]


LANGUAGES: dict[str, Language] = {
    "python": Language("python", _check_python_name, _python),
    "r": Language("r", _check_r_name, _r),
    "julia": Language("julia", _check_julia_name, _julia),
}
# What kernels report in language_info.name / their kernelspec, mapped to the generators.
_ALIASES = {"python3": "python", "ipython": "python", "python2": "python"}


def language_of(reported: object) -> Language | None:
    """The generator for a kernel's language (`python`, `R`, `julia`, ...), or None."""
    if not isinstance(reported, str):
        return None
    key = reported.strip().lower()
    return LANGUAGES.get(_ALIASES.get(key, key))


def supported_languages() -> list[str]:
    return list(LANGUAGES)


def check_variable(language: Language, name: object) -> str | None:
    """Why `name` cannot be a variable in this language, or None when it can."""
    if not isinstance(name, str) or not name:
        return "the variable name must be a non-empty string"
    if len(name) > 100:
        return "the variable name is longer than 100 characters"
    return language.check_name(name)


def generate(language: Language | str, variables: Mapping[str, Value]) -> str:
    """Source code that assigns each value to its variable, one statement per line.

    Raises CodegenError for an unsupported language, a bad variable name or a value that is
    not text (NUL, lone surrogates).
    """
    lang = language if isinstance(language, Language) else language_of(language)
    if lang is None:
        raise CodegenError(
            f"unsupported language {language!r}; supported: {', '.join(supported_languages())}"
        )
    lines = []
    for name, value in variables.items():
        problem = check_variable(lang, name)
        if problem:
            raise CodegenError(f"invalid variable name {name!r}: {problem}")
        if not isinstance(value, str) and not all(isinstance(v, str) for v in value):
            raise CodegenError(f"the value of {name} must be a string or a list of strings")
        lines.append(lang.assign(name, value))
    return "\n".join(lines) + ("\n" if lines else "")
