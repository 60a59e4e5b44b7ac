"""What the store classes refuse, shared by hand-offs and messages."""


class HandoffNotFound(LookupError):
    """No hand-off has that id."""


class InvalidTransition(ValueError):
    """A claim, hand-back or resolve that the hand-off's current state does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a hand-off that is {current} cannot become {target}")
        self.current, self.target = current, target


class NotHeld(ValueError):
    """Staff can only write into a conversation they have taken over."""
