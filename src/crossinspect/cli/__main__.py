"""``python -m crossinspect.cli``: the same as the ``crossinspect`` command."""

import sys

from . import app

sys.exit(app())
