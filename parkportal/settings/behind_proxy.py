"""The client's address behind our one TLS-terminating reverse proxy.

prod.py uses these; tests/accounts/test_roles.py imports them, so the test
checks the values production runs with.

The proxy (nginx, ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``
or ``$remote_addr``) ends X-Forwarded-For with the address it accepted the
connection from. That right-most entry is the only one a client cannot forge:
anything to its left was sent by the client. django-ipware counts the proxies
listed *after* the client in the header, which is none here (REMOTE_ADDR is the
proxy itself), and without strict checking it takes the entry at that position
from the right, so "forged, real" resolves to "real" instead of being dropped.
Without this (or without django-ipware installed) axes would see REMOTE_ADDR,
the proxy, for every client, and anyone could lock an admin username out for
everyone.
"""

AXES_IPWARE_PROXY_COUNT = 0
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# django-ipware's own setting (axes does not pass one): strict checking would
# reject a header with a forged prefix and fall back to REMOTE_ADDR, the proxy.
IPWARE_STRICT = False


def client_address_settings(trusted_proxies: int) -> dict:
    """The axes/ipware settings for ``trusted_proxies`` proxies in front (base.py).

    0: only REMOTE_ADDR counts and X-Forwarded-For is ignored (nothing in front
    could have set it). N >= 1: the header's entry appended by the outermost proxy,
    i.e. the N-th from the right counting REMOTE_ADDR as the last proxy; one proxy
    gives the values above.
    """
    if trusted_proxies <= 0:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "IPWARE_STRICT": False,
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
        "AXES_IPWARE_PROXY_ORDER": AXES_IPWARE_PROXY_ORDER,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": AXES_IPWARE_META_PRECEDENCE_ORDER,
        "IPWARE_STRICT": IPWARE_STRICT,
    }
