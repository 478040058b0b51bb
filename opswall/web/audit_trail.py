"""`/admin/audit`: the audit trail and the warnings' history, for operators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from opswall.auth import audit
from opswall.control.warnings import history
from opswall.web.context import person, web
from opswall.web.security import csrf_token

blueprint = Blueprint("audit_trail", __name__)


@blueprint.get("/admin/audit")
def audit_page() -> Any:
    ctx = web()
    return render_template(
        "audit.html",
        rows=audit.recent(ctx.db, 500),
        warnings=history(ctx.db),
        who=person(),
        csrf=csrf_token(),
    )
