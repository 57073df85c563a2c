"""The API's serializers, one module per resource (the names of ``api/views/``)."""
