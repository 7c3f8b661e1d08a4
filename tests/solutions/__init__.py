"""Reference solutions of the exercise notebooks, and the known mistakes, for the tests only.

One module per chapter: ``SOLUTIONS[name]`` is the source of a correct answer cell,
``MISTAKES[name][key]`` the source of an answer cell that makes the known mistake ``key``
(the key of the exercise's :class:`bpkit.exercises.Mistake`), and ``WRONG_VALUES[name]`` the
source of a wrong answer to a value exercise with a phrase its feedback must contain.
Never copied into ``exercises/`` or the website.
"""
