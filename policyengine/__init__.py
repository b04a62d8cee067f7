"""policyengine: check digital currency designs against international principles."""

__version__ = "0.1.0"
