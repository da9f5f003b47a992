"""Release builders of the stage apps, one module per app; importing a module registers its
builders with the registry (disclosure.registry). The stage app itself builds the release
content (e.g. planning.ocds); these modules only connect it."""
