"""The exercises of the student notebooks and their instant checks.

Each chapter module ``bpkit.exercises.chNN`` (found by :func:`chapters`: a new chapter's
module only has to exist) builds its exercises, registers them in :data:`REGISTRY` and offers
``check(name, answer)`` to its notebook. The package is split so that a chapter author can
read each part in one sitting:

* :mod:`.model` - the exercise model (:class:`FunctionExercise`, :class:`ValueExercise`,
  :class:`Mistake`, :class:`Result`), scoring, stated requirements and the registry;
* :mod:`.feedback` - the wording of feedback (comparisons, shapes, values, error hints);
* :mod:`.guard` - running a student's function, and the friendly refusal of bpkit's own
  answer (a question of learning, not a security boundary);
* :mod:`.payload` - the JSON that carries inputs to the grading kernel and results back;
* :mod:`.notebook` - ``check`` and ``record_value``, what the notebooks call;
* :mod:`.cli` - the ``bpkit-exercises`` command (copy the notebooks, list the exercises);
* :mod:`.protocol` - the grader's protocol constants, defined once.

The instructors' grader (``bpkit.grade``) uses the same objects but never lets a chapter
module into the student's kernel: it draws the inputs and scores the outcomes in its own
process (see its threat model).
"""
from .cli import copy_notebooks, main, notebooks_folder
from .feedback import describe_arg, explain_error, format_value, same, shape_mismatch
from .guard import run_calls, run_function
from .model import (CHAPTER_ID, REGISTRY, Exercise, FunctionExercise, Mistake, Result,
                    ValueExercise, apply_requirements, chapters, get, load_all, register,
                    requirement_notes)
from .notebook import check_answer, make_check, record_value
from .payload import from_payload, inputs_from_payload, inputs_to_payload, to_payload
from .protocol import ANSWER_MIME, PACKAGE, RESULT_MIME

#: The chapters whose modules exist (discovered, so a new chapter is never hidden).
CHAPTERS = chapters()
