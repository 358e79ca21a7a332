"""One router per resource; each route reads the request and calls one service function."""
