from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "govbuy.catalog"
    label = "catalog"
    verbose_name = _("Guidance catalog")

    def ready(self) -> None:
        from govbuy.audit.describe import register, register_field_names
        from govbuy.catalog import home
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav

        register("catalog.version.drafted", _("{actor} started draft {number} of the catalog “{title}” for {region}"))
        register("catalog.version.updated", _("{actor} changed draft {number} of the catalog: {fields}"))
        register(
            "catalog.version.imported", _("{actor} imported {rows} rows from {file} into catalog version {number}")
        )
        register("catalog.import.queued", _("{actor} queued the import of {file} ({rows} rows) for {region}"))
        register(
            "catalog.version.published",
            _("{actor} published catalog version {number} “{title}”, in effect from {effective_from}"),
        )
        register("catalog.version.superseded", _("{actor} superseded catalog version {number} by version {by_number}"))
        register("catalog.version.discarded", _("{actor} discarded draft {number} of the catalog: {reason}"))
        register("catalog.item.added", _("{actor} added item {code} {name} to catalog version {number}"))
        register_field_names(
            "catalog.item.changed",
            _("{actor} changed item {code} {name} in catalog version {number}: {fields}"),
            model="catalog.CatalogItem",
        )
        register("catalog.item.removed", _("{actor} removed item {code} {name} from catalog version {number}"))
        register("catalog.comment.added", _("{actor} commented on draft {number} of the catalog: {body}"))
        register(
            "catalog.filing.submitted",
            _("{actor} filed catalog version {number} of {region} with the city finance bureau"),
        )
        register(
            "catalog.filing.acknowledged",
            _("{actor} acknowledged the filing of catalog version {number} of {region}"),
        )
        register(
            "catalog.filing.returned",
            _("{actor} returned the filing of catalog version {number} of {region}: {comment}"),
        )
        register("catalog.negative_matter.added", _("{actor} added {code} {name} to the negative list ({basis})"))
        register("catalog.negative_matter.changed", _("{actor} changed negative-list matter {code} {name}: {fields}"))

        register_nav(NavEntry(label=_("Catalog"), url_name="catalog:index", visible=lambda request: True, order=30))
        register_nav(
            NavEntry(label=_("Catalog workspace"), url_name="catalog:manage", visible=home.sees_workspace, order=31)
        )
        register_nav(
            NavEntry(label=_("Catalog filings"), url_name="catalog:filings", visible=home.sees_filings, order=32)
        )
        register_home_section(home.filings_waiting_section, order=30)
        register_home_section(home.returned_filings_section, order=31)
        register_home_section(home.drafts_for_comment_section, order=32)
