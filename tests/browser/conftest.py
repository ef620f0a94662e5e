"""Real-browser tests of the survey pages (the `browser` fixture is in tests/conftest.py)."""

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
