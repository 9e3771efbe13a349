"""Short in-domain answers that need no decision tree (domain.md §9), each with a follow-up errand.

An entry's id is the option value suffix (``faq:<id>``) and the key the understander returns; every
answer is a list of locale ids (`faq-<id>-q` is the question as listed, `faq-<id>-a…` the answer, then the
shared line saying where to ask).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.messages import Option, Text
from flows.base import flow_value


# Every answer ends by saying where to ask (issue 11, defect 18): 12333, the local window or the 医保公众号.
WHERE_TO_ASK = "faq-where-to-ask"


@dataclass(frozen=True)
class Faq:
    id: str
    facts: tuple[str, ...]
    follow_up: tuple[Option, ...] = field(default_factory=tuple)
    health: bool = False  # health or treatment comes up: the no-medical-advice note follows the answer

    @property
    def answer(self) -> tuple[str, ...]:
        """The locale ids said, in order: the facts, then where to ask."""
        return (*self.facts, WHERE_TO_ASK)

    @property
    def question(self) -> Text:
        return Text(f"faq-{self.id.replace('_', '-')}-q")


def _go(flow: str, label: str, **prefill: str) -> Option:
    return Option(flow_value(flow, prefill), Text(label))


FAQS = (
    Faq("card_family", ("faq-card-family-a",), (_go("family", "opt-go-family", fam_intent="给家人用"),)),
    Faq("others_card", ("faq-others-card-a",), (_go("family", "opt-go-family", fam_intent="给家人用"),)),
    Faq("lend_penalty", ("faq-lend-penalty-a",), (_go("family", "opt-go-family", fam_intent="给家人用"),)),
    Faq("cash_out", ("faq-cash-out-a",), (_go("family", "opt-go-family", fam_intent="给家人用"),)),
    Faq("dental", ("faq-dental-a", "faq-dental-a2", "faq-dental-a3"), health=True),
    Faq("lapse_effects", ("faq-lapse-effects-a", "faq-lapse-effects-a2"),
        (_go("reactivation", "opt-go-reactivation", react_task="补缴"),)),
    Faq("scheme_diff", ("faq-scheme-diff-a", "faq-scheme-diff-a2")),
    Faq("public_medical", ("faq-public-medical-a",)),
    Faq("resign", ("faq-resign-a",), (_go("reactivation", "opt-go-reactivation", react_task="补缴", ins_type="职工"),)),
    Faq("drug_full", ("faq-drug-full-a",), health=True),
    Faq("new_6m", ("faq-new-6m-a",), (_go("reactivation", "opt-go-reactivation", react_task="重新参保"),)),
    Faq("emp_2m", ("faq-emp-2m-a",), (_go("reactivation", "opt-go-reactivation", react_task="补缴", ins_type="职工"),)),
    Faq("two_regions", ("faq-two-regions-a",), (_go("transfer", "opt-go-transfer"),)),
    Faq("checkup", ("faq-checkup-a",), health=True),
    Faq("chronic", ("faq-chronic-a",), health=True),
    Faq("coop_proxy", ("faq-coop-proxy-a",)),
)

BY_ID = {f.id: f for f in FAQS}
