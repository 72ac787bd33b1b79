from __future__ import annotations

import pytest

from briefs.indicators import IndicatorModel
from briefs.indicators.actors import ActorMatcher
from briefs.indicators.lexicon import Lexicon


@pytest.fixture(scope="session")
def model() -> IndicatorModel:
    return IndicatorModel.load()


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return Lexicon.load()


@pytest.fixture(scope="session")
def actors() -> ActorMatcher:
    return ActorMatcher.load()
