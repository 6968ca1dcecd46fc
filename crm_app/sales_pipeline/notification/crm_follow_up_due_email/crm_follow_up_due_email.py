from crm_app.notifications import document_link_context as get_context  # noqa: F401
