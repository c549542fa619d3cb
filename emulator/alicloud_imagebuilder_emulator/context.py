"""The state of one emulator, shared by the backend modules (which run under the backend's lock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalog
from .clock import Clock
from .errors import not_found
from .ids import IdFactory
from .models import Image, RegionState
from .settings import Settings

if TYPE_CHECKING:
    from .builds import Build


class Context:
    def __init__(self, clock: Clock, settings: Settings, account_id: str) -> None:
        self.clock = clock
        self.settings = settings
        self.account_id = account_id
        self.ids = IdFactory(settings.seed)
        self.regions: dict[str, RegionState] = {}
        # (action, region, token) -> (the id it returned, the parameters it was used with)
        self.client_tokens: dict[tuple[str, str, str], tuple[str, object]] = {}
        self.active_builds: dict[str, Build] = {}  # execution id -> build with events still due
        self._seq = 0

    def region(self, region_id: str | None) -> RegionState:
        """The state of a catalog region; 404 ``InvalidRegionId.NotFound`` for any other id."""
        if region_id not in catalog.REGIONS:
            raise not_found("InvalidRegionId.NotFound",
                            f"The specified RegionId {region_id!r} does not exist.")
        state = self.regions.get(region_id)
        if state is None:
            state = self.regions[region_id] = RegionState()
        return state

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def now(self) -> float:
        return self.clock.now()

    def find_image(self, image_id: str) -> Image | None:
        for state in self.regions.values():
            image = state.images.get(image_id)
            if image is not None:
                return image
        return None

    def remove_image(self, image: Image) -> None:
        self.regions[image.region_id].images.pop(image.image_id, None)
        source = self.find_image(image.source_image_id) if image.source_image_id else None
        if source is not None and image.image_id in source.copy_ids:
            source.copy_ids.remove(image.image_id)

    def image_name_taken(self, region_id: str, name: str) -> bool:
        return any(image.name == name for image in self.region(region_id).images.values())
