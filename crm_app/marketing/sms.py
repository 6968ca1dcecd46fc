"""SMS through the gateway set up in Frappe's SMS Settings, provider-neutral: the URL, the names of the message
and receiver parameters, static parameters and headers are the provider's; this adapter only sends one message,
with a timeout, and says whether the gateway took it."""

import frappe
import requests
from frappe import _

from crm_app.domain.outreach import sms_receiver

TIMEOUT_SECONDS = 10
# names providers give the id of an accepted message in a JSON answer
REFERENCE_KEYS = ("message_id", "messageId", "msgid", "bizId", "BizId", "sid", "id", "serialNo")


class SmsNotSent(Exception):
	pass


class SmsGateway:
	def __init__(self):
		settings = frappe.get_cached_doc("SMS Settings")
		if not settings.sms_gateway_url:
			raise SmsNotSent(_("No SMS gateway is set up in SMS Settings"))
		self.url = settings.sms_gateway_url.strip()
		self.message_parameter = settings.message_parameter
		self.receiver_parameter = settings.receiver_parameter
		self.use_post = settings.use_post
		self.headers = {row.parameter: row.value for row in settings.parameters if row.header}
		self.static = {row.parameter: row.value for row in settings.parameters if not row.header}

	def send(self, number: str, text: str) -> str:
		"""Send `text` to `number`; the gateway's reference of the message, or SmsNotSent with the reason."""
		values = {**self.static, self.message_parameter: text, self.receiver_parameter: sms_receiver(number)}
		as_json = self.headers.get("Content-Type") == "application/json"
		body = {"json": values} if as_json else ({"data": values} if self.use_post else {"params": values})
		try:
			response = requests.request(
				"POST" if self.use_post or as_json else "GET",
				self.url,
				headers=self.headers,
				timeout=TIMEOUT_SECONDS,
				**body,
			)
		except requests.RequestException as error:
			raise SmsNotSent(
				_("The SMS gateway could not be reached: {0}").format(type(error).__name__)
			) from None
		if not 200 <= response.status_code < 300:
			raise SmsNotSent(
				_("The SMS gateway refused the message ({0}): {1}").format(
					response.status_code, response.text[:200]
				)
			)
		return reference_of(response)


def reference_of(response) -> str:
	try:
		answer = response.json()
	except ValueError:
		return response.text.strip()[:140]
	if isinstance(answer, dict):
		for key in REFERENCE_KEYS:
			if answer.get(key):
				return str(answer[key])[:140]
	return response.text.strip()[:140]
