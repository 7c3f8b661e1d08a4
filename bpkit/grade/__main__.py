"""``python -m bpkit.grade``: the instructors' grader."""
import sys

from .cli import main

sys.exit(main())
