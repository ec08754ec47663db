"""``python -m medcodes``: the ``medcodes`` command (see :mod:`medcodes.cli`)."""

import sys

from .cli import main

sys.exit(main())
