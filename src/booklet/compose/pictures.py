"""Turn the images the content names into blocks: figures, photo pages, galleries, logos."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..read.model import Image, Section
from ..read.pictures import Picture
from . import document as d


class PicturePages:
    """The picture blocks of a `Composer` (its t, w, content, layout, pictures)."""

    pictures: Mapping[str, Picture]

    def image_of(self, ident: str | None) -> Image | None:
        return next((i for i in self.content.images if i.id == ident), None) if ident else None

    def illustration(self, ident: str | None, named: str = "") -> d.Illustration | None:
        """The picture an id names, with its words in this language (None if not there).

        Without alt text, the caption stands for it, else `named`: a logo's organization."""
        image, picture = self.image_of(ident), self.pictures.get(str(ident))
        if image is None or picture is None:
            return None
        caption = self.t(image.caption)
        focus = (image.focus[0], image.focus[1]) if len(image.focus) == 2 else (0.5, 0.5)
        return d.Illustration(
            picture,
            alt=self.t(image.alt) or caption or named,
            caption=caption,
            credit=self.t(image.credit),
            focus=focus,
        )

    @property
    def prints_pictures(self) -> bool:
        return self.layout.pictures.figures and self.layout.kind in ("booklet", "sheet")

    def cover_photo(self) -> d.Illustration | None:
        """The event's cover photo, on a folded product's front panel only."""
        wanted = self.layout.kind == "folded" and self.layout.pictures.figures
        return self.illustration(self.content.event.cover_photo) if wanted else None

    def section_photo(self, section: Section) -> Iterator[d.Block]:
        if section.photo is None or not self.prints_pictures:
            return
        shown = self.illustration(section.photo.image)
        if shown is not None:
            yield d.PhotoPage(shown, section.photo.bleed)

    def section_figures(self, section: Section) -> Iterator[d.Block]:
        if not self.prints_pictures:
            return
        for ident in section.figures:
            shown = self.illustration(ident)
            if shown is not None:
                yield d.Figure(shown)

    def photos(self) -> Iterator[d.Block]:
        """A photo page for each program item with photos (an exhibition)."""
        if not self.prints_pictures:
            return
        for item in self.content.program:
            shown = tuple(p for p in map(self.illustration, item.photos) if p is not None)
            if shown:
                yield d.Gallery(
                    kicker=self.w(f"kind-{item.kind}"),
                    title=self.t(item.title) or self.w(f"kind-{item.kind}"),
                    description=self.t(item.description),
                    pictures=shown,
                    loc=item.id.loc,
                )

    def venue(self) -> Iterator[d.Block]:
        """The venue page: its name, address and contact, its map, the map's link."""
        event = self.content.event
        shown = self.illustration(event.venue_map) if self.prints_pictures else None
        lines = self.contact_lines()
        if shown is None and not lines and not event.map:
            return
        yield d.Venue(
            title=self.w("venue"),
            name=self.comma().join(self.t(x) for x in (event.venue, event.city) if x),
            lines=lines,
            map=shown,
            map_url=str(event.map or ""),
            map_label=self.w("map") if event.map else "",
        )

    def logo(self, org_id: str) -> d.Logo:
        org = self.content.organizations.get(org_id)
        name = self.org_name(org_id)
        return d.Logo(name, self.illustration(org.logo, name) if org is not None else None)

    def logo_groups(self) -> d.LogoGroups:
        """Organizers, partners, then each sponsor tier, as logos: empty when none has one."""
        event = self.content.event
        groups = [
            (self.w(key), tuple(self.logo(o) for o in ids))
            for key, ids in (("organized-by", event.organizers), ("partners", event.partners))
            if ids
        ]
        for tier in event.sponsors:
            if tier.organizations:
                groups.append((self.t(tier.label), tuple(map(self.logo, tier.organizations))))
        if not any(logo.picture for _, logos in groups for logo in logos):
            return ()
        return tuple(groups)

    def card_logos(self) -> tuple[d.Logo, ...]:
        """The logos a card carries: organizers, then sponsors by tier (those with a logo)."""
        logos = [logo for _, group in self.logo_groups() for logo in group]
        return tuple(logo for logo in logos if logo.picture is not None)
