"""The web pages success managers and approvers work in: server-rendered (Jinja2), with HTMX
for the parts that update in place. They render the same case view model as the API and the
CLI, and go through the same permission table; no decision logic lives in a template."""
