"""The demo installation (``make setup`` / ``manage.py load_demo``): a made-up
CRM and marketing platform with Belgian data, their register and sources
(``config.yaml``) and the demo marketing API served at ``/demo/`` (refused in
production). Only ``load_demo`` and the root URLconf use it; no engine code does."""
