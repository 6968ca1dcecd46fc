class DomainError(ValueError):
	"""A business rule refused a value.

	`message` is an English template with `{0}`-style placeholders. Callers translate the template, then fill
	it with `args`, so the same text serves the desk, the REST API and the tests.
	"""

	def __init__(self, message: str, *args):
		super().__init__(message.format(*args))
		self.message = message
		self.args_ = args
