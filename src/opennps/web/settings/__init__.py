"""Settings: `base` is shared; `dev`, `prod` and `test` adjust it."""
