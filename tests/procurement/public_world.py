"""A database the public pages can show: generated lines, the rules' flags, a confirmed one.

Every secret the public must never see is planted with a recognisable text: the uploader's
name, the auditor's user name, the message of an open, a dismissed and an escalated flag, and
the comment of a decision that did not confirm.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from procurement.demo.bulk import store_lines
from procurement.demo.generator import award_lines
from procurement.models import Flag, SourceFile
from procurement.services.flag_review import flag_decide
from procurement.services.permissions import Actor

UPLOADER = "Uploader Secret Name"
AUDITOR = Actor("auditor-secret-user", "auditor", "Auditor Secret Display")
PUBLIC_COMMENT = "Giá cao gấp ba trung vị: đã xác minh với hồ sơ"
SECRETS = {
    "open": "OPEN-FLAG-SECRET-MESSAGE",
    "dismissed": "DISMISSED-FLAG-SECRET-MESSAGE",
    "escalated": "ESCALATED-FLAG-SECRET-MESSAGE",
}
NOTES = ("ESCALATION-NOTE-SECRET", "DISMISSAL-NOTE-SECRET", "INTERNAL-NOTE-SECRET")
FILE_NAME = "ket-qua-trung-thau-2025.xlsx"


def build(sessions: sessionmaker[Session], lines: int = 1500) -> dict[str, int]:
    """Fill the database; return the ids of the confirmed flag, its buyer and the other flags."""
    from rules.engine.pack import load_pack
    from rules.engine.runner import run_rules

    with sessions() as session, session.begin():
        source = store_lines(session, FILE_NAME, award_lines(11, lines))
        session.execute(
            update(SourceFile).where(SourceFile.id == source).values(uploaded_by=UPLOADER)
        )
        run_rules(session, load_pack())
    with sessions() as session, session.begin():
        flags = session.execute(
            select(Flag.id, Flag.buyer_id)
            .where(Flag.buyer_id.is_not(None), Flag.line_id.is_not(None))
            .order_by(Flag.id)
        ).all()
        assert len(flags) >= 4, "the generated lines should raise line flags"
        confirmed, buyer = flags[0]
        others = [f for f, b in flags[1:] if b == buyer][:3] or [f for f, _b in flags[1:4]]
        others = (others + [f for f, _b in flags[1:4] if f not in others])[:3]
        open_, dismissed, escalated = others
        flag_decide(session, AUDITOR, confirmed, "escalated", NOTES[0])
        flag_decide(session, AUDITOR, confirmed, "confirmed", PUBLIC_COMMENT)
        flag_decide(session, AUDITOR, dismissed, "dismissed", NOTES[1])
        flag_decide(session, AUDITOR, escalated, "escalated", NOTES[2])
        for status, flag_id in (
            ("open", open_),
            ("dismissed", dismissed),
            ("escalated", escalated),
        ):
            session.execute(
                update(Flag)
                .where(Flag.id == flag_id)
                .values(message_vi=SECRETS[status], message_en=SECRETS[status], buyer_id=buyer)
            )
        session.execute(update(Flag).where(Flag.status == "open").values(buyer_id=buyer))
        confirmed_line = session.scalar(select(Flag.line_id).where(Flag.id == confirmed))
    return {
        "source": source,
        "confirmed": confirmed,
        "buyer": buyer,
        "open": open_,
        "dismissed": dismissed,
        "escalated": escalated,
        "line": confirmed_line or 0,
    }
