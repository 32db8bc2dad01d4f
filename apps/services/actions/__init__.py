"""Every write to a service request. Views, the admin, tasks and commands call these."""

from .alerts import send_deadline_alerts
from .handling import (
    accept, add_internal_note, assign, assignable_staff, close, mark_duplicate, refer, reject, request_supplement,
    resolve, start, take,
)
from .ratings import (
    clean_rating, decide_appeal, file_appeal, may_rate, rate, rating_closes_at, report_back, send_rectification_alerts,
    verify,
)
from .submission import answer_supplement, check_submission, submit_request, withdraw

__all__ = [
    "accept", "clean_rating", "decide_appeal", "file_appeal", "may_rate", "rate", "rating_closes_at", "report_back",
    "send_rectification_alerts", "verify", "add_internal_note", "answer_supplement", "assign", "assignable_staff", "check_submission", "close",
    "mark_duplicate", "refer", "reject", "request_supplement", "resolve", "send_deadline_alerts", "start",
    "submit_request", "take", "withdraw",
]
