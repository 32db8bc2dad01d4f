"""The park dictionary: words jieba does not know, built from the content itself.

Each registration names fields whose values are words of their own (enterprise,
platform, programme and station names); a fixed list adds the park's vocabulary
(高新区, 专精特新 …) and a site may add more (``PARKPORTAL_SEARCH_EXTRA_TERMS``).
The list is read once, kept in the shared cache with a version, and dropped after
commit whenever an item with such a name goes live or is taken down; each process
rebuilds its segmenter when the version it holds is no longer the cache's.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import registry
from .text import Segmenter

#: The park's vocabulary (DOMAIN.md): always words, whatever the content says.
PARK_TERMS = (
    "高新区", "新市区", "乌鲁木齐高新区", "国家级高新区", "专精特新", "小巨人", "专精特新小巨人",
    "高新技术企业", "科技型中小企业", "十百千", "天山火炬之星", "火炬之星", "丝路之星", "妈妈式",
    "零距离", "博士后科研工作站", "博士后工作站", "生物医药", "大健康", "新一代信息技术", "新材料",
    "现代服务业", "主导产业", "创业社区", "服务站", "流动服务站", "人才引进", "青年人才", "人力资源",
    "人力资源服务产业园", "孵化器", "众创空间", "营商环境", "办事指南", "好差评", "政务服务",
    "五层共挤", "青贮膜", "缠绕膜", "农膜", "热收缩膜",
)

TERMS_KEY = "search:dictionary:terms"
VERSION_KEY = "search:dictionary:version"
#: The dictionary is read again at least this often (a rename that went live without
#: passing through the editorial engine, such as a qualification kind).
TTL_SECONDS = 3600

#: (version, Segmenter) of this process.
_shared: dict = {}
_build_lock = threading.Lock()


def load_terms() -> list[str]:
    """The dictionary from the database: one query per registration that names terms."""
    terms = set(PARK_TERMS) | set(getattr(settings, "PARKPORTAL_SEARCH_EXTRA_TERMS", ()))
    for registration in registry.registrations():
        if not registration.terms:
            continue
        for row in registration.rule().order_by().values_list(*registration.terms):
            terms.update(value for value in row if value)
    return sorted(terms)


def current_terms() -> tuple[str, list[str]]:
    """(version, terms) from the cache, read from the database when missing."""
    found = cache.get_many([VERSION_KEY, TERMS_KEY])
    if VERSION_KEY in found and TERMS_KEY in found:
        return found[VERSION_KEY], found[TERMS_KEY]
    terms = load_terms()
    version = f"{time.time_ns()}"
    cache.set_many({TERMS_KEY: terms, VERSION_KEY: version}, TTL_SECONDS)
    return version, terms


def segmenter() -> Segmenter:
    """This process's segmenter with the current park dictionary. A hit costs one
    small cache read (the version); the terms are unpickled only when it changed."""
    version = cache.get(VERSION_KEY)
    held = _shared.get("held")
    if held is not None and version is not None and held[0] == version:
        return held[1]
    with _build_lock:
        version, terms = current_terms()
        held = _shared.get("held")
        if held is None or held[0] != version:
            held = (version, Segmenter(terms))
            _shared["held"] = held
    return held[1]


def forget() -> None:
    """Drop the cached dictionary after commit (a name went live or was taken down);
    once per transaction, however many items a batch publishes."""
    connection = transaction.get_connection()
    if any(entry[1] is forget_now for entry in connection.run_on_commit):
        return
    transaction.on_commit(forget_now, robust=True)


def forget_now() -> None:
    cache.delete_many([VERSION_KEY, TERMS_KEY])
