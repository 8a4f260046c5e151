"""The interpreter's version string for the result line."""

from __future__ import annotations

import platform
import sys
import sysconfig


def runtime_name() -> str:
    """E.g. "CPython 3.13.5", or "CPython 3.13.5t (GIL off)" on the free-threaded build."""
    name = f"{platform.python_implementation()} {platform.python_version()}"
    if not sysconfig.get_config_var("Py_GIL_DISABLED"):
        return name
    is_enabled = getattr(sys, "_is_gil_enabled", lambda: True)
    return f"{name}t (GIL {'on' if is_enabled() else 'off'})"
