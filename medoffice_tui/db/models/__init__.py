"""Every table of the practice, as Peewee models bound to the one ``db`` proxy.

One module per area (``practice``, ``staff``, ``providers``, ``patients``,
``schedule``, ``billing``, ``stock``, ``audit``); import them from here.

Conventions:
- Money is integer cents (``*_cents``): exact on every engine.
- Date-times are naive local wall time in the practice's time zone
  (``clock.now()``); audit timestamps are naive UTC (``at_utc``).
- Rows that staff edit concurrently carry ``version``: an update names the
  version it read and fails if another desk changed the row first, so an
  edit is never silently overwritten.
- ``*_norm`` columns hold lower-cased, accent-stripped text for index range
  search (see ``services/text.py``).
"""

from __future__ import annotations

from medoffice_tui.db.connection import db
from medoffice_tui.db.models.audit import (
    AuditEvent,
    AuditHead,
)
from medoffice_tui.db.models.base import BaseModel
from medoffice_tui.db.models.billing import (
    CLAIM_STATUSES,
    OPEN_CLAIM_STATUSES,
    SETTLED_DAY,
    Adjustment,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimStatusEvent,
    ClaimSummary,
    CodeSetRelease,
    DxCode,
    DxWord,
    FeeSchedule,
    HcpcsCode,
    PayerRule,
    Payment,
    PaymentAllocation,
    ReasonCode,
)
from medoffice_tui.db.models.patients import (
    Allergy,
    Coverage,
    NameKey,
    NameWord,
    Patient,
    PatientNote,
    Payer,
    Vital,
)
from medoffice_tui.db.models.practice import (
    Practice,
)
from medoffice_tui.db.models.providers import (
    Provider,
    ProviderBlock,
    ProviderHours,
)
from medoffice_tui.db.models.schedule import (
    APPOINTMENT_EVENT_KINDS,
    APPOINTMENT_STATUSES,
    LIVE_STATUSES,
    REMINDER_OUTCOMES,
    Appointment,
    AppointmentEvent,
    AppointmentType,
    RecurringSeries,
)
from medoffice_tui.db.models.staff import (
    ROLE_NAMES,
    SYSTEM_USERNAME,
    Role,
    User,
)
from medoffice_tui.db.models.stock import (
    COUNT_REASONS,
    MOVEMENT_KINDS,
    OPEN_ORDER_STATUSES,
    ORDER_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    StockLocation,
    StockMovement,
    StockSetting,
    SupplyItem,
    SupplyLot,
)
from medoffice_tui.db.models.x12 import (
    REMIT_OUTCOMES,
    X12_FILE_KINDS,
    ClaimAck,
    EligibilityCheck,
    PlbAdjustment,
    RemitClaim,
    Remittance,
    X12File,
    X12Partner,
    X12Submission,
)

#: every model, parents before children (the order tables are created and copied in)
ALL_MODELS: tuple[type[BaseModel], ...] = (
    Practice,
    Role,
    User,
    Provider,
    ProviderHours,
    ProviderBlock,
    Patient,
    Payer,
    Coverage,
    Allergy,
    Vital,
    PatientNote,
    NameWord,
    NameKey,
    AppointmentType,
    RecurringSeries,
    Appointment,
    AppointmentEvent,
    FeeSchedule,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimStatusEvent,
    Payment,
    Adjustment,
    PaymentAllocation,
    PayerRule,
    ClaimSummary,
    CodeSetRelease,
    DxCode,
    DxWord,
    HcpcsCode,
    ReasonCode,
    StockLocation,
    StockSetting,
    SupplyItem,
    SupplyLot,
    PurchaseOrder,
    PurchaseOrderLine,
    StockMovement,
    X12Partner,
    X12File,
    X12Submission,
    ClaimAck,
    Remittance,
    RemitClaim,
    PlbAdjustment,
    EligibilityCheck,
    AuditEvent,
    AuditHead,
)


__all__ = [
    "ALL_MODELS",
    "APPOINTMENT_EVENT_KINDS",
    "APPOINTMENT_STATUSES",
    "Adjustment",
    "Allergy",
    "Appointment",
    "AppointmentEvent",
    "AppointmentType",
    "AuditEvent",
    "AuditHead",
    "BaseModel",
    "CLAIM_STATUSES",
    "Claim",
    "ClaimDiagnosis",
    "ClaimLine",
    "ClaimStatusEvent",
    "ClaimSummary",
    "CodeSetRelease",
    "DxCode",
    "DxWord",
    "HcpcsCode",
    "PayerRule",
    "PaymentAllocation",
    "ReasonCode",
    "SETTLED_DAY",
    "Coverage",
    "FeeSchedule",
    "LIVE_STATUSES",
    "NameKey",
    "NameWord",
    "OPEN_CLAIM_STATUSES",
    "Patient",
    "PatientNote",
    "Payer",
    "Payment",
    "Practice",
    "Provider",
    "ProviderBlock",
    "ProviderHours",
    "REMINDER_OUTCOMES",
    "ROLE_NAMES",
    "RecurringSeries",
    "Role",
    "SYSTEM_USERNAME",
    "COUNT_REASONS",
    "MOVEMENT_KINDS",
    "OPEN_ORDER_STATUSES",
    "ORDER_STATUSES",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "StockLocation",
    "StockMovement",
    "StockSetting",
    "SupplyItem",
    "SupplyLot",
    "User",
    "Vital",
    "REMIT_OUTCOMES",
    "X12_FILE_KINDS",
    "ClaimAck",
    "EligibilityCheck",
    "PlbAdjustment",
    "RemitClaim",
    "Remittance",
    "X12File",
    "X12Partner",
    "X12Submission",
    "db",
]
