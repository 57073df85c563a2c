"""The API's views, one module per resource (see ``requests_app.api``)."""
