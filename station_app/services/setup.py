"""First-run setup: which division this station serves and its first administrator."""
from __future__ import annotations

from petition_core.enums import Role

from ..store import Store
from .types import Operator, StationInfo


class SetupService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def is_initialised(self) -> bool:
        """True once the station row exists (the first-run wizard is skipped)."""
        raise NotImplementedError

    def station(self) -> StationInfo:
        """The station's identity; ServiceError('not_initialised') before setup."""
        raise NotImplementedError

    def initialise(self, division_code: str, station_name: str, admin_login: str,
                   admin_password: str, admin_display_name: str,
                   role: Role | str = Role.ADMIN) -> StationInfo:
        """Create the station (level follows the division: village code → village station,
        township code → township centre) and its first operator, in one transaction.
        ServiceError codes: already_initialised, division_unknown, division_level."""
        raise NotImplementedError
