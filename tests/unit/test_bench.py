"""The benchmark script's pure parts: percentiles, tables, keeping BENCHMARKS.md's hand-written head."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))  # tools/ is not a package

import bench


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 99, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 0, 1.0),
        ([4.0, 1.0, 3.0, 2.0], 100, 4.0),
        (list(map(float, range(1, 101))), 99, 99.01),
        ([10.0, 20.0], 25, 12.5),
    ],
)
def test_percentile_interpolates_between_closest_ranks(values, q, expected) -> None:
    assert bench.percentile(values, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_markdown_table_right_aligns_every_column_but_the_first() -> None:
    table = bench.markdown_table(["mode", "tools", "chars"], [["full", 65, "29,743"], ["dynamic", 3, "1,026"]])
    assert table.splitlines() == [
        "| mode | tools | chars |",
        "| --- | ---: | ---: |",
        "| full | 65 | 29,743 |",
        "| dynamic | 3 | 1,026 |",
    ]


def test_results_replace_what_is_below_the_marker_and_keep_the_method_above() -> None:
    document = f"# Benchmarks\n\nHow we measure.\n\n{bench.MARKER}\n\n## Results\n\nold numbers\n"
    updated = bench.replace_results(document, "## Results\n\nnew numbers\n")
    assert updated == f"# Benchmarks\n\nHow we measure.\n\n{bench.MARKER}\n\n## Results\n\nnew numbers\n"
    assert bench.replace_results(updated, "## Results\n\nnew numbers\n") == updated


def test_a_document_without_the_marker_keeps_all_its_text() -> None:
    updated = bench.replace_results("# Benchmarks\n\nHow we measure.\n", "## Results\n")
    assert updated == f"# Benchmarks\n\nHow we measure.\n\n{bench.MARKER}\n\n## Results\n"


def test_cpu_model_is_read_from_proc_cpuinfo_text() -> None:
    cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\n"
    assert bench.cpu_model(cpuinfo) == "AMD EPYC 7B13"
    assert bench.cpu_model("processor\t: 0\n") == "unknown CPU"


def test_goal_verdicts_and_plurals() -> None:
    assert bench.verdict(0.0019, 0.002) == "met"
    assert bench.verdict(0.0021, 0.002) == "NOT met"
    assert bench.plural(1, "tool") == "1 tool"
    assert bench.plural(65, "tool") == "65 tools"


def test_a_concurrency_row_pools_latencies_takes_the_median_rate_and_the_first_rounds_memory() -> None:
    rounds = [
        bench.Load(10, 2.0, [0.010] * 200, 0, (1.0, 0.5, 0.5), 80 * 1024),
        bench.Load(10, 2.0, [0.020] * 100, 1, (0.8, 0.4, 0.4), 90 * 1024),
        bench.Load(10, 2.0, [0.030] * 300, 0, (1.2, 0.6, 0.6), 85 * 1024),
    ]
    assert bench.level_row(rounds) == [
        10,
        600,
        "100",
        "25.00 ms",
        "30.00 ms",
        1,
        "5.00 ms",
        "50% / 25% / 25%",
        "80 MiB",
    ]
