"""Extensions of the Rasa server itself: speed-ups (see docs/benchmarks.md) and failure handling."""
