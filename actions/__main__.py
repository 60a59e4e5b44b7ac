"""The action server without TensorFlow: `python -m actions --port 5055`.

It is `rasa run actions --actions actions` (rasa_sdk's server) in a process that
cannot import TensorFlow. spaCy's thinc imports TensorFlow whenever it is
installed, and Rasa's command line imports Rasa's whole training stack: together
about 500 MB and seconds of start-up per action server, for a neural library no
action uses (they need spaCy's tokenizer rules and medspaCy's ConText only).
"""

import sys


def without_tensorflow() -> None:
    """Make thinc's optional `import tensorflow` an ImportError, as if it were not installed."""
    sys.modules["tensorflow"] = None  # type: ignore[assignment]


def main() -> None:
    """Run rasa_sdk's action server on the `actions` package with the command line's options."""
    without_tensorflow()
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(["--actions", "actions", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
