"""Reading public query parameters: one rule for every public view's filters."""

#: The largest value a (big)integer primary key can hold; a larger number is no row id.
MAX_ROW_ID = 2**63 - 1


def row_id(value) -> int | None:
    """A filter's row id from a query parameter, or None for anything that is not one
    (text, zero, negative, or a number no id column can hold: never a database error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ROW_ID else None
