"""assets/data/engine.json: the data files the Python bridge hands over, in one file for the worker."""

from __future__ import annotations

import json

from selfcheck import bridge


def test_engine_data_is_exactly_what_the_bridge_hands_over(built_site):
    engine = json.loads((built_site / "assets/data/engine.json").read_text(encoding="utf-8"))
    assert sorted(engine) == bridge.data_stems()
    needed = {stem for entry in bridge.TABLE.values() for stem in entry.data}
    assert set(engine) == needed
    for stem, text in engine.items():
        # The same text as the stand-alone file, so Python parses what every other page reads.
        assert text == (built_site / f"assets/data/{stem}.json").read_text(encoding="utf-8")
