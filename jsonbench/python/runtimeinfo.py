"""The version string every result line carries."""

from __future__ import annotations

import platform
import sysconfig


def runtime_name() -> str:
    """E.g. "CPython 3.13.5", or "CPython 3.13.5t" for the free-threaded build."""
    suffix = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    return f"{platform.python_implementation()} {platform.python_version()}{suffix}"
