"""Security settings shared by every environment (imported at the end of ``base.py``).

Environment variables read here (all optional in development):
- ``VIGIL_FIELD_KEYS``: Fernet keys for restricted fields, newest first, comma-separated. When unset, the
  key file ``VIGIL_FIELD_KEY_FILE`` (default ``$VIGIL_DATA_DIR/field-keys``, created by ``vigil setup``)
  is used. Either way the keys are never in the database. See docs/security.md.
- ``VIGIL_CLIENT_IP_HEADER``: the request header a trusted reverse proxy puts the client's address in
  (e.g. ``HTTP_X_REAL_IP``); by default the socket's address is used.
"""

import os

# Authentication: argon2 first (base.py), the throttled backend (lockout), TOTP for reviewers and
# administrators (``vigil.accounts.two_factor``).
AUTHENTICATION_BACKENDS = ["vigil.accounts.backends.ThrottledModelBackend"]
VIGIL_TWO_FACTOR_REQUIRED = True
# Failed sign-ins (password or code) before an account is locked, and per client address before the
# address is, within the sliding window.
VIGIL_LOCKOUT_FAILURES = int(os.environ.get("VIGIL_LOCKOUT_FAILURES", "5"))
VIGIL_LOCKOUT_CLIENT_FAILURES = int(os.environ.get("VIGIL_LOCKOUT_CLIENT_FAILURES", "20"))
VIGIL_LOCKOUT_MINUTES = int(os.environ.get("VIGIL_LOCKOUT_MINUTES", "15"))
VIGIL_CLIENT_IP_HEADER = os.environ.get("VIGIL_CLIENT_IP_HEADER", "")

# Sessions: short, gone when the browser closes, never readable by scripts, sent on same-site requests.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: nothing from any other origin, no inline or injected script. Inline style
# attributes and <style> blocks are allowed (Django's admin and the printable sheets use them); with every
# fetch limited to this origin, a style cannot send anything anywhere.
VIGIL_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}
VIGIL_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Restricted fields are encrypted with keys kept outside the database (vigil.core.encryption).
VIGIL_FIELD_KEYS = [key.strip() for key in os.environ.get("VIGIL_FIELD_KEYS", "").split(",") if key.strip()]
if os.environ.get("VIGIL_FIELD_KEY_FILE"):
    VIGIL_FIELD_KEY_FILE = os.environ["VIGIL_FIELD_KEY_FILE"]
VIGIL_FIELD_KEY_AUTOCREATE = False
