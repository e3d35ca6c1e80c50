"""``from querysentry.middleware import QuerySentryMiddleware``: the documented import path.

The middleware lives in ``querysentry.asgi.middleware``; the outcome it puts in
``request.state.querysentry`` is the engine's (``querysentry.engine``).
"""

from querysentry.asgi.middleware import QuerySentryMiddleware
from querysentry.engine.outcome import Outcome, current_outcome

__all__ = ["Outcome", "QuerySentryMiddleware", "current_outcome"]
