"""The canonical records of DESIGN.md as typed SQLAlchemy 2.0 models (no Flask)."""

from procurement.models.award import AwardLine, Tender
from procurement.models.base import Base
from procurement.models.flag import Flag, FlagHistory
from procurement.models.framework import FrameworkAgreement, FrameworkItem
from procurement.models.job import ImportJob
from procurement.models.parties import Buyer, Manufacturer, Supplier
from procurement.models.product import Product
from procurement.models.reference import ReferenceList, ReferenceListItem, ReferencePrice
from procurement.models.schedule import JobLock, JobRun
from procurement.models.source import RowErrorRecord, SourceFile
from procurement.models.stock import StockItem, StockReport
from procurement.models.user import SignInAttempt, User

__all__ = [
    "AwardLine",
    "Base",
    "Buyer",
    "Flag",
    "FlagHistory",
    "FrameworkAgreement",
    "FrameworkItem",
    "ImportJob",
    "JobLock",
    "JobRun",
    "Manufacturer",
    "Product",
    "ReferenceList",
    "ReferenceListItem",
    "ReferencePrice",
    "RowErrorRecord",
    "SignInAttempt",
    "SourceFile",
    "StockItem",
    "StockReport",
    "Supplier",
    "Tender",
    "User",
]
