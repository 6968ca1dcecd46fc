// The app's web pages (inquiry, rating, portal) post a form to one of its methods the same way: the button waits,
// the server's message shows under the form when it refuses, and `done` decides what a success shows.
window.crm_web_form = (form, method, failure, done) => {
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		const result = form.querySelector("[role=status]");
		const button = form.querySelector("button[type=submit]");
		button.disabled = true;
		// a form with a file goes as multipart, whose boundary the browser sets; any other as JSON
		const multipart = form.enctype === "multipart/form-data";
		const headers = { Accept: "application/json" };
		if (!multipart) headers["Content-Type"] = "application/json";
		if (window.frappe?.csrf_token) headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
		const data = new FormData(form);
		const response = await fetch(`/api/method/${method}`, {
			method: "POST",
			headers,
			body: multipart ? data : JSON.stringify(Object.fromEntries(data)),
		});
		const body = await response.json().catch(() => ({}));
		if (response.ok) {
			done(body.message, result);
			return;
		}
		const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
		result.classList.remove("text-success");
		result.classList.add("text-danger");
		result.textContent = messages.join(" ") || failure;
		button.disabled = false;
	});
};
