"""The documented default credentials and account of an emulator."""

DEFAULT_ACCESS_KEY_ID = "LTAI5tEmulatorDefaultKey"
DEFAULT_ACCESS_KEY_SECRET = "EmulatorDefaultSecret0123456789abcdef"
DEFAULT_ACCOUNT_ID = "1000000000000001"  # the caller's account uid: owner of images and components
DEFAULT_REGION_ID = "cn-hangzhou"
