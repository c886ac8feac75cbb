"""The demo sandbox's helper, run inside the sandbox by Debian's python3 -I -B -S (src/analyze/demo/sandbox.ts).

Two commands, each applying the resource limits to itself first:

  check <file> <allowed,modules> <limits>  reads the demo, refuses what the code policy forbids
                                           (Python's own ast; the rules are listed below), compiles
                                           it, and prints one JSON line: {"ok": true, "imports": [...]} or
                                           {"ok": false, "stage": "policy"|"compile", "problems": [...]}.
  run <file> <limits>                      replaces itself with `python3 -I -B -S <file>` under the limits.

<limits> is "as,cpu,fsize,nproc" (bytes, seconds, bytes, processes). The policy is a first line, not
the boundary: the sandbox (bubblewrap, seccomp, limits) is what holds when the policy misses a trick.
"""

import ast
import json
import os
import re
import resource
import sys

# Pure computation and text: what a demo may import (top-level names), besides llm.demo.allowedModules.
ALLOWED_MODULES = frozenset(
    """
    __future__ abc array bisect calendar cmath collections colorsys contextlib copy dataclasses
    datetime decimal difflib enum fractions functools graphlib hashlib heapq itertools json
    math numbers pprint random re statistics string struct textwrap time typing unicodedata
    """.split()
)

# Builtins that run, load or reach code, files, frames or the console: refused as names anywhere.
REFUSED_NAMES = frozenset(
    """
    eval exec compile __import__ open globals locals vars breakpoint input help memoryview
    __builtins__ __loader__ __spec__ __file__ __cached__ exit quit copyright credits license
    """.split()
)

# Attribute access by name: allowed only as a direct call with a literal, non-dunder, non-private name.
NAMED_ACCESS = frozenset(["getattr", "setattr", "delattr", "hasattr"])

# Dunder attributes a class-writing demo needs and that lead nowhere (every other dunder is refused).
HARMLESS_DUNDERS = frozenset(
    """
    __init__ __post_init__ __name__ __qualname__ __doc__ __repr__ __str__ __eq__ __ne__ __lt__ __le__
    __gt__ __ge__ __hash__ __len__ __iter__ __next__ __contains__ __getitem__ __setitem__ __add__
    __sub__ __mul__ __truediv__ __floordiv__ __mod__ __neg__ __abs__ __bool__ __enter__ __exit__
    """.split()
)

# Dunder names a demo may use as plain names (a class body's __slots__, the module's __name__).
HARMLESS_NAMES = frozenset(["__name__", "__slots__", "__match_args__", "__all__", "__doc__"])

# Attributes that reach frames, code, globals or other modules, or evaluate text.
REFUSED_ATTRIBUTES = frozenset(
    """
    f_globals f_locals f_builtins f_back f_code tb_frame tb_next gi_frame gi_code cr_frame cr_code
    ag_frame ag_code co_code modules format_map vformat Formatter get_type_hints ForwardRef
    system popen spawn fork exec_module load_module
    """.split()
)

# Standard modules whose name as an attribute is harmless and common (obj.token, err.code).
COMMON_ATTRIBUTE_NAMES = frozenset(
    "token code queue email numbers keyword stat string test trace html xml wave uuid secrets errno sched locale".split()
)

URL = re.compile(r"[a-z][a-z0-9+.-]*://|\bwww\.[a-z0-9-]|\b(?:mailto|file|javascript|data):", re.I)
SHELL = re.compile(
    r"(?:^|[\s;&|`'\"(])(?:curl|wget|nc|ncat|netcat|ssh|scp|sudo|chmod|chown|mkfifo|base64\s+-d|"
    r"(?:ba|z|da|k)?sh\s+-c|rm\s+-[a-z]*[rf]|python[0-9.]*\s+-c|perl\s+-e|powershell|cmd(?:\.exe)?\s+/c)\b"
    r"|\|\s*(?:ba|z|da)?sh\b|/bin/(?:ba|z|da)?sh\b|\$\(",
    re.I,
)
PATH_OUTSIDE = re.compile(
    r"(?:^|[\s\"'=:(,;<>\[{])(?:/[A-Za-z0-9._-]|~[A-Za-z0-9_./-]*(?:/|$))|(?:^|[/\\\s\"'])\.\.(?:[/\\]|$)|"
    r"(?:^|[^A-Za-z0-9])[A-Za-z]:\\"
)
CODE_IN_TEXT = re.compile(
    r"\b(?:eval|exec|compile|open|__import__|getattr|setattr|delattr|globals|locals|vars|breakpoint|input)\s*\("
)
DUNDER_IN_TEXT = re.compile(r"__[A-Za-z][A-Za-z0-9_]*__")


def apply_limits(spec):
    as_bytes, cpu, fsize, nproc = (int(part) for part in spec.split(","))
    for name, value in (
        ("RLIMIT_AS", as_bytes),
        ("RLIMIT_CPU", cpu),
        ("RLIMIT_FSIZE", fsize),
        ("RLIMIT_NPROC", nproc),
        ("RLIMIT_CORE", 0),
    ):
        resource.setrlimit(getattr(resource, name), (value, value))


class Policy(ast.NodeVisitor):
    def __init__(self, allowed):
        self.allowed = allowed
        self.problems = []
        self.imports = set()
        self.dangerous_modules = (set(sys.stdlib_module_names) | {"posix", "nt"}) - allowed - COMMON_ATTRIBUTE_NAMES

    def refuse(self, node, text):
        line = getattr(node, "lineno", 0)
        self.problems.append(f"line {line}: {text}")

    def module(self, node, name):
        top = name.split(".")[0]
        self.imports.add(top)
        if top not in self.allowed:
            self.refuse(node, f"import of {top} is not allowed")

    def attribute_name(self, node, name, owner=None):
        if name.startswith("__") and name.endswith("__"):
            if name not in HARMLESS_DUNDERS:
                self.refuse(node, f"the attribute {name} is not allowed")
        elif name.startswith("_"):
            if owner not in ("self", "cls"):
                self.refuse(node, f"the private attribute {name} is not allowed (only self._x and cls._x)")
        elif name in REFUSED_ATTRIBUTES or name in self.dangerous_modules:
            self.refuse(node, f"the attribute {name} is not allowed")

    def visit_Import(self, node):
        for alias in node.names:
            self.module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        if node.level:
            self.refuse(node, "relative imports are not allowed")
        else:
            self.module(node, node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.refuse(node, "import * is not allowed")
            else:
                self.attribute_name(node, alias.name)
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in REFUSED_NAMES:
            self.refuse(node, f"{node.id} is not allowed")
        elif node.id.startswith("__") and node.id.endswith("__") and node.id not in HARMLESS_NAMES:
            self.refuse(node, f"the name {node.id} is not allowed")
        elif node.id in NAMED_ACCESS and not getattr(node, "_direct_call", False):
            self.refuse(node, f"{node.id} is allowed only as a call with a literal attribute name")

    def visit_Attribute(self, node):
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        self.attribute_name(node, node.attr, owner)
        if node.attr == "format" and not isinstance(node.value, ast.Constant):
            self.refuse(node, "format() is allowed only on a string literal (use an f-string)")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name) and func.id in NAMED_ACCESS:
            func._direct_call = True
            name = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self.refuse(node, f"{func.id} needs a literal attribute name")
            else:
                owner = node.args[0].id if isinstance(node.args[0], ast.Name) else None
                self.attribute_name(node, name.value, owner)
        self.generic_visit(node)

    def visit_MatchClass(self, node):
        for name in node.kwd_attrs:
            self.attribute_name(node, name)
        self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str):
            for pattern, what in (
                (URL, "a URL"),
                (SHELL, "a shell command"),
                (PATH_OUTSIDE, "a path outside the demo's folder"),
                (CODE_IN_TEXT, "code that calls a refused builtin"),
            ):
                if pattern.search(value):
                    self.refuse(node, f"a string holds {what}")
            for dunder in DUNDER_IN_TEXT.findall(value):
                if dunder not in HARMLESS_DUNDERS and dunder not in ("__main__", "__name__"):
                    self.refuse(node, f"a string names {dunder}")


def check(path, allowed_spec):
    allowed = ALLOWED_MODULES | {name for name in allowed_spec.split(",") if name}
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    try:
        tree = ast.parse(source, filename="demo.py")
        compile(tree, "demo.py", "exec")
    except SyntaxError as error:
        where = f"line {error.lineno}" if error.lineno else "somewhere"
        return {"ok": False, "stage": "compile", "problems": [f"SyntaxError at {where}: {error.msg}"]}
    except (RecursionError, MemoryError, ValueError) as error:
        return {"ok": False, "stage": "compile", "problems": [f"the code cannot be parsed ({type(error).__name__})"]}
    policy = Policy(allowed)
    try:
        policy.visit(tree)
    except RecursionError:
        return {"ok": False, "stage": "policy", "problems": ["the code is nested too deeply"]}
    if policy.problems:
        seen = []
        for problem in policy.problems:
            if problem not in seen:
                seen.append(problem)
        return {"ok": False, "stage": "policy", "problems": seen[:12]}
    return {"ok": True, "imports": sorted(policy.imports)}


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "check" and len(argv) == 5:
        apply_limits(argv[4])
        print(json.dumps(check(argv[2], argv[3])), flush=True)
        return 0
    if command == "run" and len(argv) == 4:
        apply_limits(argv[3])
        os.execv(sys.executable, [sys.executable, "-I", "-B", "-S", argv[2]])
    print("usage: policy.py check FILE ALLOWED LIMITS | run FILE LIMITS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
