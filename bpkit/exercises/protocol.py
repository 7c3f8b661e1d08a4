"""The grader's protocol constants, defined here once.

``bpkit.exercises`` (the notebooks' instant checks), ``bpkit.grade`` (the instructors' grader)
and the code the grader runs inside a student's kernel all import them from this module.
"""
#: The MIME type under which a value exercise's answer is stored in the notebook's outputs.
ANSWER_MIME = "application/x.bpkit-answer+json"
#: The result marker: the MIME type of the display message in which the grading kernel hands
#: back what a student's function returned on the grader's inputs.
RESULT_MIME = "application/x.bpkit-result+json"
#: The package that holds the chapter modules ``chNN``.
PACKAGE = "bpkit.exercises"
