from frappe import _

from crm_app.domain.campaign_roi import UTM_PARAMETERS
from crm_app.sales_pipeline.inquiry import make_form_token

no_cache = 1


def get_context(context):
	context.title = _("Contact Us")
	context.form_token = make_form_token()
	context.utm_parameters = UTM_PARAMETERS
	return context
