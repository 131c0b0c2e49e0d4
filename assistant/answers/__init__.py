"""The answer stage: builders of grounded answers over typed records, and the composer that
routes a question to them (see composer.py)."""
from assistant.answers.composer import ABSTAIN_COVERAGE, Composer

__all__ = ["ABSTAIN_COVERAGE", "Composer"]
