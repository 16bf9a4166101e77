"""Seeded demo data: realistic Vietnamese award spreadsheets with planted anomalies.

build_demo_files() writes hospital result lists, national portal exports, a social-security CSV,
reference prices, the Ministry's reference lists and the national centre's framework agreements,
plus anomalies.json; award_lines() yields canonical award lines of any count for benchmarks;
the write_* functions write one layout.
"""

from procurement.demo.build import build_demo_files
from procurement.demo.exports import write_portal_export, write_social_security_csv
from procurement.demo.generator import LINE_KEYS, award_lines
from procurement.demo.layouts import ListStyle, write_hospital_list
from procurement.demo.model import DemoFile, PlantedAnomaly

__all__ = [
    "LINE_KEYS",
    "DemoFile",
    "ListStyle",
    "PlantedAnomaly",
    "award_lines",
    "build_demo_files",
    "write_hospital_list",
    "write_portal_export",
    "write_social_security_csv",
]
