"""Runs OSProfiler's own command line (osprofiler.cmd.shell) with the given arguments.

The same code as /usr/bin/osprofiler, run with this interpreter so that the interop suite needs only
Debian's python3-osprofiler.
"""
import sys

from osprofiler.cmd import shell

sys.argv[0] = "osprofiler"
sys.exit(shell.main(sys.argv[1:]))
