// Loaded by Frappe's setup wizard (the setup_wizard_requires hook). Frappe fills the account step with the user
// saved last, a demo manager once `bench crm-demo` has run; finishing the wizard with her e-mail would not make the
// owner an administrator (crm_app/setup_wizard.py). The step keeps only what the wizard knows of the person at
// the keyboard: the signed-in user, or the name and e-mail given when the site was ordered.
(() => {
	const account_step = frappe.setup.slides_settings.find((slide) => slide.name === "user");
	let prefill_dropped = false;
	account_step.before_load = () => {
		// the first time only: when the step is made again (after a change of language), it shows what was typed
		if (prefill_dropped) return;
		prefill_dropped = true;
		delete frappe.wizard.values.full_name;
		delete frappe.wizard.values.email;
	};
})();
