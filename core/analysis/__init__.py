"""Analyses of the corpus: each module takes plain pandas frames and returns plain pandas frames."""
