"""The code generator on ordinary and hostile names and paths, for Python, R and Julia.

Python's output is also evaluated here (it must give back exactly the values); the generated
Python and R run in real kernels in test_codegen_kernels.py. Julia is not installed on this
machine: its output is checked as text, character by character, against Julia's string rules.
"""

import ast
import json
import re
from pathlib import Path

import pytest

from jupyterlab_rucio.codegen import (
    LANGUAGES,
    CodegenError,
    check_variable,
    generate,
    language_of,
)

HOSTILE = [
    "/data/plain/file.root",
    'quote"inside',
    "single'quote",
    "back\\slash\\",
    "new\nline\r\nand\ttab",
    "${ENV} and $(run(`rm -rf /`)) and $x",
    '")); system("rm -rf ~"); x <- c("',
    '"""; import os; os.system("id"); """',
    "unicode: é ü 日本語 😀 \u2028 \u202e",
    "control: \x01 \x07 \x1b[31m \x7f \x85",
    "ends with backslash \\",
    "#{not ruby} %s %d {0}",
    "",
]

NAMES = json.loads(
    (Path(__file__).resolve().parents[2] / "src/__tests__/notebook/variableNames.json").read_text()
)


def julia_unescape(literal: str) -> str:
    """What Julia makes of a double-quoted literal, refusing any interpolation or odd escape."""
    assert literal[0] == literal[-1] == '"'
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        assert char != '"', "unescaped quote ends the literal early"
        assert char != "$", "unescaped $ would interpolate"
        assert 0x20 <= ord(char) < 0x7F, "literals are ASCII-only"
        if char != "\\":
            out.append(char)
            i += 1
            continue
        escape = body[i + 1]
        if escape in '\\"$':
            out.append(escape)
            i += 2
        elif escape == "u":
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        elif escape == "U":
            out.append(chr(int(body[i + 2 : i + 10], 16)))
            i += 10
        else:
            raise AssertionError(f"escape \\{escape} is not one the generator emits")
    return "".join(out)


def julia_literals(code: str) -> list[str]:
    return re.findall(r'"(?:[^"\\]|\\.)*"', code)


@pytest.mark.parametrize("value", HOSTILE)
def test_python_gives_back_exactly_each_hostile_value(value):
    code = generate("python", {"path": value, "paths": [value, value + "2"]})
    namespace: dict = {}
    exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102 - the code under test
    assert namespace["path"] == value
    assert namespace["paths"] == [value, value + "2"]


@pytest.mark.parametrize("value", HOSTILE)
def test_every_language_writes_only_assignments_of_ascii_literals(value):
    for language in LANGUAGES:
        code = generate(language, {"x": value, "xs": [value]})
        assert code.isascii()
        lines = code.splitlines()
        assert len(lines) == 2, "a newline in a value must never start a new statement"


@pytest.mark.parametrize("value", HOSTILE)
def test_python_literals_are_plain_strings(value):
    code = generate("python", {"x": value})
    tree = ast.parse(code)
    [assign] = tree.body
    assert isinstance(assign, ast.Assign) and isinstance(assign.value, ast.Constant)


@pytest.mark.parametrize("value", HOSTILE)
def test_julia_literals_decode_to_the_value_without_interpolation(value):
    code = generate("julia", {"x": value, "xs": [value, "b"]})
    first, second = code.splitlines()
    assert first.startswith("x = ") and first.endswith(";")
    assert second.startswith("xs = String[") and second.endswith("];")
    assert [julia_unescape(lit) for lit in julia_literals(code)] == [value, value, "b"]


def test_julia_escapes_dollar_and_interpolation():
    code = generate("julia", {"x": "$(run(`id`)) ${HOME} $y"})
    assert code == 'x = "\\$(run(`id`)) \\${HOME} \\$y";\n'


def test_r_text():
    code = generate("r", {"f": 'a"b\\c\n$é😀', "fs": ["x", "y"], "none": []})
    assert code.splitlines() == [
        'f <- "a\\"b\\\\c\\u000a$\\u00e9\\U0001f600"',
        'fs <- c("x", "y")',
        "none <- character(0)",
    ]


def test_python_text_and_empty_list():
    assert generate("python", {"a": "x", "b": []}) == 'a = "x"\nb = []\n'


def test_julia_empty_list_is_a_vector_of_strings():
    assert generate("julia", {"b": []}) == "b = String[];\n"


def test_ten_thousand_paths_become_one_statement():
    paths = [f"/mnt/hub/scale/file.{i:05d}.dat" for i in range(10_000)]
    for language in LANGUAGES:
        code = generate(language, {"files": paths})
        assert code.count("\n") == 1
        assert code.count('"') == 2 * 10_000
    namespace: dict = {}
    exec(generate("python", {"files": paths}), namespace)  # noqa: S102 - the code under test
    assert namespace["files"] == paths


@pytest.mark.parametrize("bad", ["nul\x00byte", "lone \ud800 surrogate"])
def test_values_that_are_not_text_are_refused(bad):
    for language in LANGUAGES:
        with pytest.raises(CodegenError):
            generate(language, {"x": bad})


def test_non_strings_are_refused():
    with pytest.raises(CodegenError):
        generate("python", {"x": [1, 2]})  # type: ignore[list-item]


def test_unsupported_language_names_the_supported_ones():
    with pytest.raises(CodegenError) as error:
        generate("bash", {"x": "y"})
    assert "python, r, julia" in str(error.value)


def test_kernel_language_names():
    assert language_of("python").name == "python"
    assert language_of("Python3").name == "python"
    assert language_of("R").name == "r"
    assert language_of("julia").name == "julia"
    assert language_of("bash") is None
    assert language_of(None) is None


@pytest.mark.parametrize(
    "case", NAMES["cases"], ids=lambda c: f"{c['language']}:{c['name']!r}:{c['valid']}"
)
def test_variable_names_follow_the_shared_table(case):
    """The same table drives the frontend's validation (jest), so both sides agree."""
    problem = check_variable(language_of(case["language"]), case["name"])
    assert (problem is None) == case["valid"], problem
    if not case["valid"]:
        with pytest.raises(CodegenError, match="invalid variable name"):
            generate(case["language"], {case["name"]: "x"})
