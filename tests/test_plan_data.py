"""The action plan as data: quoted text is verbatim from the seed, stages and dates complete."""

from __future__ import annotations

import yaml

from tests.conftest import DATA_DIR, SEED


def plan():
    return yaml.safe_load((DATA_DIR / "plan.yaml").read_text(encoding="utf-8"))


def test_quoted_text_is_verbatim():
    seed = SEED.read_text(encoding="utf-8")
    p = plan()
    quoted = [s["text"] for s in p["sections"]] + [s["text"] for s in p["stages"]]
    quoted += [p["responsibility"]["text"], p["management"]["text"]]
    quoted += [r["heading"] + r["text"] for r in p["requirements"]["points"]]
    for text in quoted:
        assert text in seed, text[:30]


def test_four_stages_with_dates():
    stages = plan()["stages"]
    assert [s["name"] for s in stages] == [
        "动员部署阶段",
        "组织实施阶段",
        "考评验收阶段",
        "提升推广阶段",
    ]
    assert [d["date"] for d in stages[1]["deadlines"]] == ["2024-05-29", "2024-08-20"]
    assert plan()["management"]["term_years"] == 2


def test_site_form_fields_are_the_seeds_annex_2():
    labels = [f["label"] for f in plan()["site_form"]["fields"]]
    assert labels == ["序号", "属地镇街", "拟选取作为安全发展社区（村）的点位名称", "点位详细地址"]
    seed = SEED.read_text(encoding="utf-8")
    annex = seed.split("附件2", 2)[-1]
    assert all(label in annex for label in labels)
