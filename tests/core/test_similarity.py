"""Repeat-complaint similarity on Chinese text."""
from __future__ import annotations

import pytest

from petition_core.similarity import best_matches, normalize, similarity

ROAD_A = "村里修路占用我家承包地，补偿款一直没有发放"
ROAD_B = "修村道路时占了我的承包地，到现在补偿款没给"
ROAD_C = "反映修路占地补偿款未发放问题"
FEE_A = "村卫生室收费太高"
FEE_B = "村卫生室乱收费，看病收费比别处高"
DIBAO_A = "村干部私分低保金，要求查处"
DIBAO_B = "要求查处村干部私分低保金的问题"
WATER_A = "反映村里自来水管道破裂，全组停水一周"
WATER_B = "全组停水好几天了，自来水管坏了没人修"

NEAR = [(ROAD_A, ROAD_B), (ROAD_A, ROAD_C), (ROAD_B, ROAD_C), (FEE_A, FEE_B),
        (DIBAO_A, DIBAO_B), (WATER_A, WATER_B)]
UNRELATED = [(ROAD_A, DIBAO_A), (ROAD_A, FEE_A), (ROAD_B, DIBAO_B), (ROAD_C, FEE_A),
             (DIBAO_A, FEE_A), (WATER_A, ROAD_A), (WATER_B, FEE_B), (DIBAO_B, WATER_B)]


@pytest.mark.parametrize("a,b", NEAR)
def test_near_duplicates_score_high(a, b):
    assert similarity(a, b) >= 0.55


@pytest.mark.parametrize("a,b", UNRELATED)
def test_unrelated_complaints_score_low(a, b):
    assert similarity(a, b) <= 0.35


def test_every_near_pair_beats_every_unrelated_pair():
    assert min(similarity(a, b) for a, b in NEAR) > max(similarity(a, b) for a, b in UNRELATED)


def test_properties():
    assert similarity(ROAD_A, ROAD_A) == 1.0
    assert similarity(ROAD_A, ROAD_B) == similarity(ROAD_B, ROAD_A)
    assert similarity("修路，占地！", "修路占地") == 1.0   # punctuation ignored
    assert similarity("ＡＢＣ修路", "abc修路") == 1.0     # full-width folded
    for a, b in NEAR + UNRELATED:
        assert 0.0 <= similarity(a, b) <= 1.0


@pytest.mark.parametrize("a,b", [("", ""), ("", ROAD_A), ("   ", ROAD_A), ("！？", ROAD_A),
                                 ("的了", ROAD_A), ("路", ROAD_A)])
def test_empty_or_meaningless_text_scores_zero(a, b):
    assert similarity(a, b) == 0.0


def test_normalize_removes_filler():
    assert normalize("反映：我的问题！") == ""
    assert normalize("要求查处村干部") == "查处村干部"


def test_best_matches_ranks_and_filters():
    candidates = {"c1": DIBAO_A, "c2": ROAD_B, "c3": FEE_A, "c4": ROAD_C, "c5": ""}
    got = best_matches(ROAD_A, candidates, threshold=0.5, limit=10)
    assert [cid for cid, _ in got] == sorted(["c2", "c4"], key=lambda c: -dict(got)[c])
    assert all(score >= 0.5 for _, score in got)
    assert got[0][1] >= got[1][1]
    assert best_matches(ROAD_A, candidates, threshold=0.5, limit=1) == got[:1]
    assert best_matches(ROAD_A, list(candidates.items()), threshold=0.5) == got
    assert best_matches("", candidates, threshold=0.0) == []
    assert best_matches(ROAD_A, candidates, threshold=0.5, limit=0) == []
    assert best_matches(ROAD_A, {}, threshold=0.1) == []


def test_best_matches_tie_order_is_stable():
    got = best_matches(ROAD_A, [(2, ROAD_A), (1, ROAD_A)], threshold=0.9)
    assert got == [(1, 1.0), (2, 1.0)]



@pytest.mark.parametrize("a,b", NEAR + UNRELATED)
def test_closed_form_agrees_with_rapidfuzz_token_set_ratio(a, b):
    """Same measure as rapidfuzz on space-joined characters, except that the joining
    spaces themselves count there (inflating unrelated pairs, and nudging others by a
    point or so); so: close for near-duplicates, never clearly higher for anything."""
    from rapidfuzz import fuzz

    from petition_core.similarity import _char_set_ratio

    na, nb = normalize(a), normalize(b)
    reference = fuzz.token_set_ratio(" ".join(na), " ".join(nb)) / 100.0
    ours = _char_set_ratio(set(na), set(nb))
    assert ours <= reference + 0.02
    if (a, b) in NEAR:
        assert ours == pytest.approx(reference, abs=0.1)
