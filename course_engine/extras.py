"""The optional parts of the install, each an extra of the package."""


class ExtraMissing(RuntimeError):
    """A setting asks for an optional part that is not installed."""


def extra_missing(extra: str, error: ImportError) -> ExtraMissing:
    """Return the error that says which extra installs the module that failed to import."""
    return ExtraMissing(
        f"{error.name or 'A module'} is not installed; "
        f"install the {extra!r} extra: pip install 'course-engine[{extra}]'"
    )
