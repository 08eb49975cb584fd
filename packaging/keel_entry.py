"""The bundle's entry script: PyInstaller runs this file as ``__main__``.

It does exactly what the ``keel`` console script does (``desktop.cli:main``), so a bundle
and a pip-installed Keel take the same arguments and the same start-up sequence.
"""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
