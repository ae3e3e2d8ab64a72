"""The Python SDK under its former name: `slotbook.sdk` is `slotbook_client`.

The SDK is its own distribution, `slotbook-client` (sdk/python), which needs only httpx; this
package re-exports it so code written for `slotbook.sdk` keeps working. New code imports
`slotbook_client`.
"""

from slotbook_client import *  # noqa: F403
from slotbook_client import __all__ as __all__
