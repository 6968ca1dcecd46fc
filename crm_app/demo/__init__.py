"""Demo data: `bench --site SITE crm-demo --customers N` fills a site with realistic Chinese SME customers."""
