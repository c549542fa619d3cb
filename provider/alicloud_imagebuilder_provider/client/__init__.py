"""The only package that imports the Alibaba Cloud SDK."""

from .api import EcsApi
from .retry import RetryPolicy

__all__ = ["EcsApi", "RetryPolicy"]
