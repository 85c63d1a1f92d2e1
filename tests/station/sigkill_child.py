"""Child process for test_sigkill: registers and accepts cases in a loop through the real
services, printing each case id only after its transaction committed."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

from station_app.paths import AppPaths
from station_app.services import StationServices


def main(data_dir: str) -> None:
    svc = StationServices.open(AppPaths(data_dir))
    op = svc.accounts.authenticate("admin", "admin1234")
    received = (datetime.now(timezone(timedelta(hours=8))) - timedelta(hours=1))
    i = 0
    while True:
        i += 1
        form = {"channel": "visit", "category": "infrastructure", "statute_type": "appeal",
                "received_at": received.isoformat(timespec="minutes"),
                "petitioner": {"name": "杨德明"},
                "summary": f"道路损毁第{i}处", "account": "雨季道路垮塌。" * (1 + i % 5)}
        reg = svc.intake.register(form, op)
        print("case", reg.case_id, flush=True)
        svc.cases.accept(reg.case_id, op, note="受理")
        print("accepted", reg.case_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
