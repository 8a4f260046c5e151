"""What every result line says about the interpreter, and the process's peak RSS."""

from __future__ import annotations

import platform
import sys
import sysconfig


def free_threaded_build() -> bool:
    """Whether this is CPython's free-threaded build (3.13t)."""
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def gil_enabled() -> bool:
    """Whether the GIL is on now (a free-threaded build re-enables it for an
    extension module that does not declare itself safe without it)."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_enabled is None else bool(is_enabled())


def runtime_name() -> str:
    """The contender's version string, e.g. "CPython 3.13.5" or "CPython 3.13.5t"."""
    suffix = "t" if free_threaded_build() else ""
    return f"{platform.python_implementation()} {platform.python_version()}{suffix}"


def status_bytes(status: str, field: str) -> int:
    """The field's value in bytes from a /proc/<pid>/status text ("VmHWM:  12 kB")."""
    prefix = field + ":"
    for line in status.splitlines():
        if line.startswith(prefix):
            value, unit = line[len(prefix) :].split()
            if unit != "kB":
                raise ValueError(f"malformed {field} line {line!r}")
            return int(value) * 1024
    raise ValueError(f"no {field} line in /proc status")


def peak_rss() -> int:
    """This process's peak resident set (VmHWM), in bytes."""
    with open("/proc/self/status", encoding="ascii") as f:
        return status_bytes(f.read(), "VmHWM")
