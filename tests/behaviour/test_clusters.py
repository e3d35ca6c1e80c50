from querysentry.behaviour.clusters import ClusterRule

RULE = ClusterRule(min_clients=5, min_uses=2, min_evidence=0.3, min_concentration=0.5)


def ring(keys: int, uses: float, evidence: float, extra_uses: float = 0.0) -> dict[str, float]:
    fields = {f"key-{i}": uses for i in range(keys)}
    total = keys * uses + extra_uses
    return {**fields, "_n": total, "_e": evidence * total}


def test_a_ring_of_keys_sharing_a_suspicious_unit_is_a_cluster() -> None:
    cluster = RULE.evaluate("0123456789abcdef", ring(20, 10, 0.6), allowance=0.1, needed=4.0)
    assert cluster is not None
    assert cluster.id == "c-0123456789ab" and cluster.members == 20
    assert cluster.risk == (0.6 * 200 - 0.1 * 200) / 4.0


def test_too_few_keys_low_evidence_or_common_phrases_are_not() -> None:
    assert RULE.evaluate("u", ring(4, 10, 0.9), 0.1, 4.0) is None
    assert RULE.evaluate("u", ring(20, 10, 0.2), 0.1, 4.0) is None
    # A phrase common in benign traffic: most of its uses come from one-off users.
    assert RULE.evaluate("u", ring(6, 2, 0.8, extra_uses=500), 0.1, 4.0) is None


def test_membership_needs_repeated_use() -> None:
    fields = ring(20, 10, 0.6)
    fields["newcomer"] = 1.0
    assert not RULE.is_member(fields, "newcomer")
    fields["newcomer"] = 2.0
    assert RULE.is_member(fields, "newcomer")
