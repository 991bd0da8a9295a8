"""Every module of gkxl imports on Windows, where most offices work: nothing POSIX-only is used outside a guard.

Two checks. Statically, every use in gkxl/ of a POSIX-only module (fcntl, termios, pwd, …) or of a POSIX-only
function of os/signal (os.geteuid, os.fork, signal.SIGKILL, …) stands under an `if` that tests sys.platform or
os.name, or in a `try` that catches what its absence raises. At run time, every module is imported in a fresh
interpreter in which gkxl's own imports of those modules fail as they do on Windows.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "gkxl"
POSIX_MODULES = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix", "syslog", "crypt", "spwd", "nis"}
POSIX_ATTRS = {
    "os": {"geteuid", "getuid", "getegid", "getgid", "fork", "forkpty", "killpg", "setsid", "getpgid", "setpgid", "mkfifo",
           "getloadavg", "sync", "fchown", "chown", "lchown", "mknod", "wait4", "waitpid", "sched_getaffinity", "pipe2",
           "O_NOFOLLOW", "O_NONBLOCK", "O_NOCTTY", "O_DIRECTORY"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "pthread_kill", "alarm", "setitimer"},
}
CAUGHT = {"ImportError", "ModuleNotFoundError", "AttributeError", "OSError", "Exception", "BaseException"}


def _guarded(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    child, p = node, parents.get(node)
    while p is not None:
        if isinstance(p, ast.If) and child in p.body:
            test = ast.unparse(p.test)
            if "sys.platform" in test or "os.name" in test or "hasattr(os" in test or "hasattr(signal" in test:
                return True
        if isinstance(p, ast.Try) and child in p.body:
            for h in p.handlers:
                names = {ast.unparse(e) for e in (h.type.elts if isinstance(h.type, ast.Tuple) else [h.type])} if h.type else {"BaseException"}
                if names & CAUGHT:
                    return True
        if isinstance(p, ast.Call) and ast.unparse(p.func) == "getattr":  # getattr(os, "O_NONBLOCK", 0)
            return True
        child, p = p, parents.get(p)
    return False


def posix_only_uses() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        for node in ast.walk(tree):
            what = None
            if isinstance(node, ast.Import):
                what = next((a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES), None)
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in POSIX_MODULES and not node.level:
                what = node.module
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr in POSIX_ATTRS.get(node.value.id, ()):
                what = f"{node.value.id}.{node.attr}"
            if what and not _guarded(node, parents):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {what}")
    return found


def test_nothing_posix_only_outside_a_guard():
    assert posix_only_uses() == []


def test_the_check_finds_an_unguarded_use(tmp_path, monkeypatch):
    # the check itself: an unguarded `import fcntl` and os.geteuid() are found, guarded ones are not
    pkg = tmp_path / "gkxl"
    pkg.mkdir()
    (pkg / "bad.py").write_text("import fcntl\nimport os\nx = os.geteuid()\n", encoding="utf-8")
    (pkg / "good.py").write_text(
        "import os, sys\nif sys.platform != 'win32':\n    import fcntl\ntry:\n    import pwd\nexcept ImportError:\n    pwd = None\n"
        "y = getattr(os, 'O_NOFOLLOW', 0)\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", pkg)
    assert posix_only_uses() == ["gkxl/bad.py:1: fcntl", "gkxl/bad.py:3: os.geteuid"]


IMPORT_ALL = r"""
import builtins, importlib, pkgutil, sys
BLOCKED = set(sys.argv[1].split(","))
real_import = builtins.__import__

def windows_like(name, globals=None, locals=None, fromlist=(), level=0):
    # gkxl's own imports of POSIX-only modules fail, as on Windows (cached or not); third-party ones import as here
    if not level and name.split(".")[0] in BLOCKED and (globals or {}).get("__name__", "").startswith("gkxl"):
        raise ModuleNotFoundError(f"No module named {name!r} (as on Windows)")
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = windows_like
import gkxl
failed = []
for m in pkgutil.walk_packages(gkxl.__path__, "gkxl."):
    try:
        importlib.import_module(m.name)
    except Exception as exc:
        failed.append(f"{m.name}: {type(exc).__name__}: {exc}")
print("\n".join(failed))
"""


def test_every_module_imports_without_posix_only_modules():
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL, ",".join(sorted(POSIX_MODULES))], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
