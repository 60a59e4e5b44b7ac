"""Extensions of the Rasa server itself that make it faster (see docs/benchmarks.md)."""
