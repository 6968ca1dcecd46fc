"""What a value sent by a client may be, field type by field type, before anything casts or stores it.

Frappe quietly turns "abc" into 0 for a number, lets the database refuse an impossible date or an amount too
large for its column with a server error, and echoes an over-long value back in its message. These checks refuse
each of those with a clear message that names the field, never the value.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from crm_app.domain.errors import DomainError

# varchar columns (Frappe's type map for MariaDB), in characters
SHORT_TEXT_TYPES = frozenset(
	{"Data", "Link", "Dynamic Link", "Select", "Read Only", "Phone", "Autocomplete", "Color", "Icon"}
)
SHORT_TEXT_LENGTH = 140
# text columns, in bytes of UTF-8
TEXT_TYPES = frozenset({"Small Text", "Text", "Attach", "Attach Image", "Password"})
TEXT_BYTES = 65535
LONG_TEXT_TYPES = frozenset(
	{
		"Long Text",
		"Code",
		"Text Editor",
		"Markdown Editor",
		"HTML Editor",
		"Signature",
		"Barcode",
		"Geolocation",
	}
)
WHOLE_NUMBER_TYPES = frozenset({"Int", "Check"})
DECIMAL_TYPES = frozenset({"Float", "Currency", "Percent", "Duration"})
TABLE_TYPES = frozenset({"Table", "Table MultiSelect"})

INT_LIMIT = 2**31 - 1  # int(11)
DECIMAL_LIMIT = Decimal(10) ** 12  # decimal(21, 9)
FEN = Decimal("0.01")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")


@dataclass(frozen=True)
class Field:
	label: str
	fieldtype: str
	length: int = 0  # the field's own varchar length, when it sets one
	money: bool = False  # an amount a person types: whole fen only
	choices: tuple[str, ...] = ()  # a Select's options


def check_value(field: Field, value) -> None:
	"""Refuse a value the field cannot hold; empty values are for the mandatory check to judge."""
	if value is None or value == "":
		return
	kind = field.fieldtype
	if kind in WHOLE_NUMBER_TYPES:
		_check_whole_number(field, value)
	elif kind in DECIMAL_TYPES:
		_check_decimal(field, value)
	elif kind == "Date":
		_check_temporal(field, value, date.fromisoformat, "{0} must be a date (YYYY-MM-DD)")
	elif kind == "Datetime":
		_check_temporal(
			field, value, datetime.fromisoformat, "{0} must be a date and time (YYYY-MM-DD HH:MM:SS)"
		)
	elif kind == "Time":
		_check_temporal(field, value, time.fromisoformat, "{0} must be a time (HH:MM:SS)")
	elif kind in TABLE_TYPES:
		if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
			raise DomainError("{0} must be a list of rows", field.label)
	elif kind in SHORT_TEXT_TYPES | TEXT_TYPES | LONG_TEXT_TYPES:
		_check_text(field, value)
		if field.choices and str(value) not in field.choices:
			raise DomainError("{0} must be one of its listed choices", field.label)


def _check_text(field: Field, value) -> None:
	if isinstance(value, bool) or not isinstance(value, str | int | float):
		raise DomainError("{0} must be text", field.label)
	text = str(value)
	if CONTROL_CHARACTERS.search(text):
		raise DomainError("{0} contains characters that are not allowed", field.label)
	if field.fieldtype in SHORT_TEXT_TYPES:
		limit = field.length or SHORT_TEXT_LENGTH
		if len(text) > limit:
			raise DomainError("{0} is too long: at most {1} characters", field.label, limit)
	elif field.fieldtype in TEXT_TYPES and len(text.encode()) > TEXT_BYTES:
		raise DomainError("{0} is too long", field.label)


def _check_whole_number(field: Field, value) -> None:
	if isinstance(value, bool):
		number = int(value)
	elif isinstance(value, int):
		number = value
	elif isinstance(value, float) and value.is_integer():
		number = int(value)
	elif isinstance(value, str) and WHOLE_NUMBER.fullmatch(value):
		if len(value.strip().lstrip("+-")) > 12:
			raise DomainError("{0} is out of range", field.label)
		number = int(value)
	else:
		raise DomainError("{0} must be a whole number", field.label)
	if field.fieldtype == "Check" and number not in (0, 1):
		raise DomainError("{0} must be 0 or 1", field.label)
	if abs(number) > INT_LIMIT:
		raise DomainError("{0} is out of range", field.label)


def _check_decimal(field: Field, value) -> None:
	if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
		raise DomainError("{0} must be a number", field.label)
	if isinstance(value, float) and not math.isfinite(value):
		raise DomainError("{0} must be a number", field.label)
	try:
		number = Decimal(str(value).strip())
	except InvalidOperation:
		raise DomainError("{0} must be a number", field.label) from None
	if not number.is_finite():
		raise DomainError("{0} must be a number", field.label)
	if abs(number) >= DECIMAL_LIMIT:
		raise DomainError("{0} is out of range", field.label)
	if field.money and number != number.quantize(FEN):
		raise DomainError("{0} has more than two decimal places", field.label)


def _check_temporal(field: Field, value, parse, message: str) -> None:
	if isinstance(value, date | time):
		return
	if not isinstance(value, str):
		raise DomainError(message, field.label)
	try:
		parsed = parse(value.strip())
	except ValueError:
		raise DomainError(message, field.label) from None
	if isinstance(parsed, date) and not 1000 <= parsed.year <= 9999:
		raise DomainError(message, field.label)
