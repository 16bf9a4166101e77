"""DOM-01: a buyer's, province's or the nation's domestic share below the configured target."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procurement.domestic import (
    CATEGORIES,
    MEASURES,
    check_targets,
    counted_categories,
    domestic_shares,
    short_of,
    targets_for,
)
from rules.engine.data import RuleData
from rules.engine.registry import rule
from rules.engine.result import Finding, RuleOutcome
from rules.engine.runner import RuleContext
from rules.engine.subjects import percent

SUBJECTS = {"buyer": "buyer_year", "province": "province_year", "nation": "nation_year"}
_VI = {"value": "giá trị", "quantity": "số lượng"}
_CATEGORY_EN = {"medicine": "medicines", "vaccine": "vaccines"}
_CATEGORY_VI = {"medicine": "thuốc", "vaccine": "vắc xin"}


@dataclass(frozen=True)
class ShareBelowTargetParams:
    """Parameters of DOM-01."""

    min_value: float = field(
        default=0.0,
        metadata={
            "doc": "a buyer-year whose value of known origin (VND) is below this is not "
            "checked: a few small purchases say little about a buyer's policy"
        },
    )
    measures: tuple[str, ...] = field(
        default=MEASURES,
        metadata={"doc": "the shares compared with their targets: value, quantity or both"},
    )

    def __post_init__(self) -> None:
        unknown = [m for m in self.measures if m not in MEASURES]
        if unknown or not self.measures:
            raise ValueError(f"measures must name value and/or quantity, got {self.measures!r}")
        object.__setattr__(self, "measures", tuple(self.measures))


@rule(
    code="DOM-01",
    version=2,
    params=ShareBelowTargetParams,
    subject="buyer_year",
    severity="medium",
    title_en="Domestic share below target",
    title_vi="Tỷ lệ thuốc sản xuất trong nước thấp hơn mục tiêu",
)
def share_below_target(data: RuleData, ctx: RuleContext) -> RuleOutcome:
    """Flag a buyer-, province- or nation-year whose domestic share is below its target.

    Its subject is the buyer-year, but it also judges each province-year and the nation-year,
    whose findings have the subjects province_year and nation_year. A buyer is held to its
    level's target (targets.domestic_share.levels) where the pack sets one, else the nation's.
    The targets are for drugs, so only the categories targets.domestic_share.categories names
    count (default medicine: vaccines have targets of their own, DOMAIN.md). Shares leave out
    lines of unknown origin and count quantity in base units (procurement.domestic states
    how); `measures` names the shares compared.
    Why: Decision 1165/QĐ-TTg sets domestic drugs at 70% of value and 80% of quantity by 2030;
    a buyer far below it is where policy is not reaching purchases.
    Evidence: both shares and targets, domestic and total value and quantity, the value of
    unknown origin, the categories counted and the lines and value of the others left out,
    and which measure(s) fell short.
    Not applicable: no line of a counted category, no target set, no line of known origin, no
    quantity in base units when only quantity is checked, or a buyer-year below `min_value`.
    """
    params: ShareBelowTargetParams = ctx.params
    check_targets(ctx.targets)
    categories = counted_categories(ctx.targets)
    outcome = RuleOutcome()
    for scope, subject in SUBJECTS.items():
        for row in domestic_shares(data.awards, scope, categories).to_dict("records"):
            level = row["level"] if scope == "buyer" else None
            targets = targets_for(ctx.targets, level)
            checked, short = short_of(row, *targets, params.measures)
            reason = _not_applicable(scope, row, targets, checked, params)
            if reason:
                outcome.not_applicable[reason] += 1
                continue
            outcome.evaluated += 1
            if short:
                outcome.findings.append(_finding(scope, subject, row, targets, short, categories))
    return outcome


def _not_applicable(
    scope: str,
    row: dict[str, Any],
    targets: tuple[float | None, ...],
    checked: list[str],
    params: ShareBelowTargetParams,
) -> str | None:
    if row["lines"] == 0:
        return "no line of a counted category"
    if scope == "buyer" and row["total_value"] < params.min_value:
        return "buyer-year below min_value"
    if checked:
        return None
    if all(targets[MEASURES.index(m)] is None for m in params.measures):
        return "no target set"
    if row["unknown_lines"] == row["lines"]:
        return "no line of known origin"
    return "no quantity in base units"


def _finding(
    scope: str,
    subject: str,
    row: dict[str, Any],
    targets: tuple[float | None, ...],
    short: list[str],
    categories: tuple[str, ...],
) -> Finding:
    key = (
        f"{subject}:{row['year']}" if scope == "nation" else f"{subject}:{row['key']}:{row['year']}"
    )
    value_target, quantity_target = targets
    first = short[0]
    evidence = {
        "scope": scope, "name": row["name"], "level": row["level"], "year": row["year"],
        "value_share": row["value_share"], "value_target": value_target,
        "quantity_share": row["quantity_share"], "quantity_target": quantity_target,
        "domestic_value": row["domestic_value"], "total_value": row["total_value"],
        "domestic_quantity": row["domestic_quantity"], "total_quantity": row["total_quantity"],
        "unknown_value": row["unknown_value"], "unknown_lines": row["unknown_lines"],
        "unmeasured_lines": row["unmeasured_lines"], "lines": row["lines"],
        "categories": list(categories), "excluded_lines": row["excluded_lines"],
        "excluded_value": row["excluded_value"], "short_of": short,
    }  # fmt: skip
    shares_en = "; ".join(
        f"{m} {row[f'{m}_share']:.1%} against a target of {targets[MEASURES.index(m)]:.0%}"
        for m in short
    )
    shares_vi = "; ".join(
        f"theo {_VI[m]} {percent(row[f'{m}_share'])}, mục tiêu "
        f"{percent(targets[MEASURES.index(m)] or 0.0)}"
        for m in short
    )
    counted_en, counted_vi = _counting(categories)
    return Finding(
        subject_type=subject,
        subject_key=key,
        observed=float(row[f"{first}_share"]),
        benchmark=targets[MEASURES.index(first)],
        test=" and ".join(short) + " share < target",
        evidence=evidence,
        message_en=(
            f"{row['name']} bought domestic products below target in {row['year']} "
            f"({counted_en}): {shares_en}."
        ),
        message_vi=(
            f"Tỷ lệ thuốc sản xuất trong nước của {row['name']} năm {row['year']} "
            f"({counted_vi}) chưa đạt mục tiêu: {shares_vi}."
        ),
        buyer_id=int(row["key"]) if scope == "buyer" else None,
        year=int(row["year"]),
    )


def _counting(categories: tuple[str, ...]) -> tuple[str, str]:
    """Say which categories a share counts, so a reader does not take it for all purchases."""
    left = [c for c in CATEGORIES if c not in categories]
    if not left:
        return (
            " and ".join(_CATEGORY_EN[c] for c in categories),
            "tính cả " + " và ".join(_CATEGORY_VI[c] for c in categories),
        )
    return (
        f"{' and '.join(_CATEGORY_EN[c] for c in categories)} only, "
        f"{' and '.join(_CATEGORY_EN[c] for c in left)} left out",
        f"chỉ tính {' và '.join(_CATEGORY_VI[c] for c in categories)}, "
        f"không tính {' và '.join(_CATEGORY_VI[c] for c in left)}",
    )
