"""``python -m bpkit.exercises``: the same as the ``bpkit-exercises`` command."""
import sys

from . import main

sys.exit(main())
