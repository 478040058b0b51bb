"""Coverage-guided fuzzing (atheris) of the feed decoder, the normaliser and the producer API's
body handling: `python -m tests.fuzz <target> [libFuzzer options] [corpus dirs]`.

The targets (targets.py) take bytes and check what must hold for any input; the committed seed
corpus (corpus/<target>/) holds the inputs of issue 17 and more. tests/unit/test_fuzz_targets.py
replays the corpus and runs each target a few seconds; docs/reliability.md gives the long run.
"""
