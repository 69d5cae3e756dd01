"""selfcheck: the 安全发展社区（村） self-assessment engine.

Pure Python; imports only the standard library at import time so the same code runs under
CPython and inside Pyodide in the browser.
"""

__version__ = "0.1.0"
