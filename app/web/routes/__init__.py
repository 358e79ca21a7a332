"""One router per page family: signing in, the queue, uploads, a case, approvals, KPIs."""
