"""Sites installed before the app set ¥, times to the minute and Monday-first weeks."""

from crm_app.install import use_chinese_formats


def execute():
	use_chinese_formats()
