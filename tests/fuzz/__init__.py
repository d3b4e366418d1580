"""Coverage-guided fuzz targets, one module per reader (see docs/hardening.md).

Each ``fuzz_<name>.py`` defines ``one_input(data: bytes) -> None`` (the contract: findings
or a :class:`~claimhouse.errors.ClaimhouseError`, nothing else) and ``seeds()``; run one
for real with ``make fuzz-<name>`` (atheris), or briefly under pytest
(tests/test_fuzz_smoke.py replays the seeds, their mutations and every saved crash).
"""
