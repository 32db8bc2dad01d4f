"""Benchmark site search on PostgreSQL: 10,000 press releases + 5,000 enterprises.

A scratch database (``pp_search_bench_<pid>``) is created, migrated, filled with bulk
inserts (generated text in the park's vocabulary: releases over three years that
name enterprises, enterprises with products, qualifications and clusters, plus 15
releases on distinct topics whose best query is known), indexed with
``apps.search.indexing.rebuild`` (the same code as ``manage.py rebuild_search_index``),
measured and dropped. Redis (``REDIS_URL``, default db 7) is the cache.

1. **Latency**: 200 realistic queries (one to four words, enterprise full and short
   names, a fifth in Traditional characters) through ``apps.search.query.search``,
   what the results page runs (counts per kind + the first page's rows + snippets),
   after one untimed warm-up pass; three timed passes, each query's median counts
   (the machine is shared). Target: p95 <= 50 ms. The results page through
   Django's test client is timed too (information).
2. **Relevance**: 38 queries whose best result is known (the distinct-topic
   releases, in both scripts; enterprise full and short names): the share whose
   expected item is in the top 3. Target: every one (share 1.00).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/search/run.py

The last line is machine-readable:

    BENCH search docs=15000 queries=200 p50_ms=.. p95_ms=.. page_p95_ms=.. relevance_top3=../38
          load=.. target=p95<=50ms,relevance_top3=all PASS|FAIL
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 50.0


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_connect(base: str):
    import psycopg

    return psycopg.connect(scratch_url(base, "postgres"), autocommit=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--enterprises", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (name printed)")
    parser.add_argument("--random-page-cost", type=float, default=1.1,
                        help="the scratch database's random_page_cost (1.1: the usual SSD setting; 4: the default)")
    args = parser.parse_args(argv)
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not base.startswith(("postgres://", "postgresql://")):
        print("bench/search/run.py needs a PostgreSQL DATABASE_URL")
        return 2
    name = f"pp_search_bench_{os.getpid()}"
    with admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {float(args.random_page_cost)}')
    os.environ["DATABASE_URL"] = scratch_url(base, name)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.test")
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept {name}")
        else:
            with admin_connect(base) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- data ------------------------------------------------------------------------------------

PLACES = ["新疆", "乌鲁木齐", "新市区", "天山", "昌吉", "克拉玛依"]
BRANDS = ["博格达", "金石", "瑞德", "华泰", "丝路", "雪莲", "昆仑", "星河", "蓝天", "明珠", "长风", "北庭",
          "天池", "金穗", "沙海", "胡杨", "红山", "万鑫", "和田", "远航", "新源", "中亚", "德润", "恒信",
          "嘉禾", "锦绣", "宏图", "鼎盛", "晨光", "博远", "泰和", "银泉", "众联", "天润", "广汇", "惠民",
          "云帆", "启明", "盛达", "聚能", "睿智", "安泰", "凯旋", "卓越", "伟业", "华美", "祥和", "立信",
          "同心", "宝石", "雄鹰", "骏马", "雪峰", "绿洲", "阳光", "海川", "方圆", "九州", "百川", "千禾",
          "易通", "联创", "汇智", "创新", "精诚", "正道", "诚信", "永泰", "兴业", "富源", "康健", "仁和",
          "润泽", "达远", "天成", "金桥", "东方", "西域", "南山", "北斗"]
TRADES = [("科技", "it"), ("新材料", "materials"), ("生物医药", "bio"), ("信息技术", "it"), ("能源", "services"),
          ("环保科技", "services"), ("智能装备", "it"), ("医疗器械", "bio"), ("软件", "it"), ("物流", "services")]
PRODUCTS = {"it": ["工业软件", "数据中心服务", "智慧园区系统", "网络安全设备"],
            "materials": ["农用薄膜", "热收缩膜", "高分子复合材料", "特种涂料"],
            "bio": ["中药饮片", "诊断试剂", "医用敷料", "保健食品"],
            "services": ["供应链管理", "检验检测", "节能改造", "融资咨询"]}
SUBJECTS = ["高新区管委会", "园区服务专员", "区科技局", "区人社局", "园区企业", "新材料企业", "生物医药企业",
            "信息技术企业", "创业社区", "政务服务中心"]
ACTIONS = ["召开", "举办", "发布", "启动", "推进", "组织", "开展", "部署"]
OBJECTS = ["专精特新企业培育工作会", "营商环境优化座谈会", "人才政策宣讲会", "招商引资项目对接会", "安全生产检查",
           "科技成果转化培训", "知识产权保护宣传周", "高新技术企业认定辅导", "产业链协作交流会", "融资对接活动",
           "重点项目建设观摩会", "企业家恳谈会", "数字化转型诊断", "职业技能竞赛", "就业招聘会"]
SENTENCES = ["乌鲁木齐高新区（新市区）以现代服务业为支柱，培育生物医药与大健康、新一代信息技术和新材料三大主导产业。",
             "园区服务专员全程跟进项目建设，协调解决用电、用工和融资等问题。",
             "本次活动共有{n}家企业参加，{e}等企业代表作了交流发言。",
             "{e}表示，将继续加大研发投入，扩大产能。",
             "会议要求各部门落实惠企政策，持续优化营商环境。",
             "据统计，今年以来园区新增市场主体{n}户，其中科技型中小企业{m}家。",
             "下一步，高新区将围绕产业链部署创新链，推动高质量发展。",
             "活动现场，{e}与多家金融机构签订合作协议。"]
SPECIAL = [  # (title, body sentence, query, traditional variant?)
    ("高新区位列园区高质量发展百强第73位", "在全国园区高质量发展百强榜单中，乌鲁木齐高新区位列第73位，连续两年入选。", "高质量发展百强", True),
    ("天山火炬之星青年人才计划首批入选名单公示", "天山火炬之星青年人才计划首批入选名单现予公示。", "天山火炬之星 入选名单", True),
    ("十百千人才引进计划年度申报指南发布", "十百千人才引进计划申报指南明确了申报条件和支持内容。", "十百千 申报指南", True),
    ("丝路之星国际人力资源服务产业园开园", "新疆首个人力资源服务产业园丝路之星正式开园。", "丝路之星 开园", True),
    ("生物医药创新创业园新增孵化企业十二家", "生物医药创新创业园今年新增孵化企业十二家。", "生物医药创新创业园", True),
    ("移动金融服务站走进商业综合体", "移动金融服务站在商业综合体为商户答疑融资问题。", "移动金融服务站", False),
    ("博士后科研工作站新进站博士三名", "能源企业博士后科研工作站新进站博士三名。", "博士后 进站", False),
    ("妈妈式零距离服务助力重点项目落地", "妈妈式服务为重点项目配备专属服务专员。", "妈妈式服务", False),
    ("五层共挤薄膜生产线投产", "新材料企业五层共挤薄膜生产线正式投产。", "五层共挤 生产线", False),
    ("青贮膜订单同比增长三成", "农用青贮膜和缠绕膜订单同比增长三成。", "青贮膜", False),
    ("人才管理改革试验区建设推进会召开", "会议部署人才管理改革试验区下一阶段任务。", "人才管理改革试验区", False),
    ("创业社区服务站开设夜间服务", "创业社区服务站工作日晚间延长服务时间，开设夜间服务。", "创业社区 夜间服务", False),
    ("园区举办跨境电商直播带货培训", "跨境电商直播带货培训吸引百余名商户参加。", "跨境电商 直播", False),
    ("氢能产业链招商推介会举行", "氢能产业链招商推介会签约项目六个。", "氢能 招商推介会", False),
    ("数字孪生园区平台上线试运行", "数字孪生园区平台整合园区运行数据。", "数字孪生", False),
]


def credit_code(serial: int) -> str:
    from apps.core.credit_code import compute_check_char

    body = f"91650106MA{serial:07d}"
    return body + compute_check_char(body)


def fill(n_releases: int, n_enterprises: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.core.models import IndustryCluster
    from apps.core.seed import seed_clusters
    from apps.editorial.models import Status, Visibility
    from apps.enterprises.models import Enterprise, PlatformKind, Qualification, QualificationKind
    from apps.enterprises.seed import seed_kinds
    from apps.news.models import PressRelease

    rnd = random.Random(42)
    seed_clusters(IndustryCluster)
    seed_kinds(QualificationKind, PlatformKind)
    clusters = {"it": "new-generation-it", "materials": "new-materials", "bio": "biomedicine-health",
                "services": "modern-services"}
    clusters = {k: IndustryCluster.objects.get(slug=v) for k, v in clusters.items()}
    quals = list(QualificationKind.objects.all())
    editor = User.objects.create_user("bench-editor", password="x", is_staff=True)
    now = timezone.now()
    live = dict(status=Status.PUBLISHED, visibility=Visibility.LIVE, created_by=editor, updated_by=editor)
    names = []
    with transaction.atomic():
        enterprises = []
        pairs = list(itertools.permutations(BRANDS, 2))  # 6,320 distinct short names
        rnd.shuffle(pairs)
        for i in range(n_enterprises):
            (a, b), (trade, cluster) = pairs[i], TRADES[i % len(TRADES)]
            place = PLACES[i % len(PLACES)]
            name = f"{place}{a}{b}{trade}{'股份' if i % 7 == 0 else ''}有限公司"
            names.append((name, a + b))
            products = "、".join(rnd.sample(PRODUCTS[cluster], 2))
            enterprises.append(Enterprise(
                name=name, short_name=a + b, credit_code=credit_code(i + 1), cluster=clusters[cluster],
                address=f"乌鲁木齐高新区（新市区）{rnd.choice(BRANDS)}路{rnd.randrange(1, 999)}号",
                main_products=products, description=f"{name}主要从事{products}的研发、生产和销售。",
                first_published_at=now, public_updated_at=now, **live,
            ))
        enterprises = Enterprise.objects.bulk_create(enterprises, batch_size=2000)
        Qualification.objects.bulk_create([
            Qualification(enterprise=e, kind=rnd.choice(quals)) for e in enterprises if rnd.random() < 0.4
        ], batch_size=5000)
        releases = []
        for i in range(n_releases):
            published = now - timedelta(minutes=150 * (n_releases - i))
            mentioned = [rnd.choice(names)[0] for _ in range(2)]
            sentences = [s.format(n=rnd.randrange(5, 60), m=rnd.randrange(2, 20), e=rnd.choice(mentioned))
                         for s in rnd.sample(SENTENCES, 5)]
            releases.append(PressRelease(
                title=f"{rnd.choice(SUBJECTS)}{rnd.choice(ACTIONS)}{rnd.choice(OBJECTS)}",
                summary=sentences[0], body="".join(f"<p>{s}</p>" for s in sentences), source="高新区管委会",
                keywords="园区,企业", first_published_at=published, public_updated_at=published, **live,
            ))
        for k, (title, sentence, _q, _t) in enumerate(SPECIAL):
            published = now - timedelta(days=30 * k + 3)
            releases.append(PressRelease(
                title=title, summary=sentence, body=f"<p>{sentence}</p><p>{SENTENCES[0]}</p>", source="高新区管委会",
                first_published_at=published, public_updated_at=published, **live,
            ))
        releases = PressRelease.objects.bulk_create(releases, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    special = releases[-len(SPECIAL):]
    return {"names": names, "enterprises": enterprises, "special": special}


def queries(data, rnd) -> list[str]:
    from apps.core.scripts import to_traditional

    terms = ["高新区", "专精特新", "新材料", "人才", "生物医药", "服务站", "营商环境", "招商引资", "孵化器", "融资",
             "知识产权", "高新技术企业", "科技型中小企业", "安全生产", "就业", "产业链", "数字化转型", "现代服务业",
             "新一代信息技术", "大健康", "服务专员", "政务服务", "人才政策", "企业家", "研发投入", "产能",
             "检验检测", "诊断试剂", "农用薄膜", "工业软件"]
    two = [f"{a} {b}" for a, b in zip(rnd.sample(terms, 20), rnd.sample(["培育", "政策", "企业", "项目", "活动",
           "培训", "认定", "申报", "签约", "服务", "园区", "会议", "建设", "合作", "交流", "发展", "推进", "对接",
           "扩大", "落实"], 20))]
    three = [" ".join(rnd.sample(terms + ["园区", "企业", "会议", "项目", "扩大", "签订", "协议"], k))
             for k in [3] * 15 + [4] * 15]
    names = rnd.sample(data["names"], 50)
    name_queries = [n for n, _short in names[:30]] + [short for _n, short in names[30:]]
    base = terms[:30] + two + three + name_queries  # 30 + 20 + 30 + 50 = 130
    base += [title_query for _t, _s, title_query, _tr in SPECIAL][:15]  # 145
    base += ["园区 新闻", "高新区 管委会", "企业 扩大 产能", "融资 协议", "座谈会", "招聘会", "新市区", "科技局",
             "人社局", "恳谈会", "观摩会", "宣传周", "竞赛", "签订 合作协议", "金融机构", "市场主体", "研发",
             "销售", "薄膜", "路"]  # 165
    traditional = [to_traditional(q) for q in rnd.sample(base, 35)]  # 200
    out = base + traditional
    rnd.shuffle(out)
    return out


def relevance_cases(data) -> list[tuple[str, str]]:
    from apps.core.scripts import to_traditional

    cases = []
    for (title, _s, query, trad), release in zip(SPECIAL, data["special"]):
        url = release.get_absolute_url()
        cases.append((query, url))
        if trad:
            cases.append((to_traditional(query), url))
    for (name, short), enterprise in list(zip(data["names"], data["enterprises"]))[100:1600:150]:  # 10 full names
        cases.append((name, enterprise.get_absolute_url()))
    for (name, short), enterprise in list(zip(data["names"], data["enterprises"]))[77:4000:800]:  # 5 short names
        cases.append((short, enterprise.get_absolute_url()))
    for (name, short), enterprise in list(zip(data["names"], data["enterprises"]))[333:3000:900]:  # 3 in Traditional
        cases.append((to_traditional(name), enterprise.get_absolute_url()))
    return cases


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(args) -> int:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.utils import translation

    from apps.search import indexing
    from apps.search.query import search, top_urls

    cache.clear()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"scratch database migrated in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    data = fill(args.releases, args.enterprises)
    print(f"{args.releases + len(SPECIAL)} releases and {args.enterprises} enterprises created in "
          f"{time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    counts = indexing.rebuild()
    print(f"indexed {counts} in {time.perf_counter() - started:.1f}s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_searchentry")

    rnd = random.Random(7)
    qs = queries(data, rnd)
    with translation.override("zh-hans"):
        for q in qs:  # warm-up: buffers, the dictionary
            search(q)
        # Each query three times, in three passes; a query's time is its median (the
        # machine is shared: one pass can land on another process's burst).
        rounds = []
        for _round in range(3):
            times, totals = [], []
            for q in qs:
                t = time.perf_counter()
                results = search(q)
                times.append((time.perf_counter() - t) * 1000)
                totals.append(results.total)
            rounds.append(times)
        timings = [statistics.median(per_query) for per_query in zip(*rounds)]
        slowest = sorted(zip(timings, qs, totals), reverse=True)[:5]
        client = Client()
        page_timings = []
        for q in qs[:100]:
            t = time.perf_counter()
            response = client.get("/search/", {"q": q})
            page_timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        cases = relevance_cases(data)
        hits, misses = 0, []
        for query, url in cases:
            top = top_urls(query, 3)
            if url in top:
                hits += 1
            else:
                misses.append((query, url, top))
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    page_p95 = percentile(page_timings, 0.95)
    load = os.getloadavg()[0]
    print(f"queries: {len(qs)} (zero results: {sum(1 for t in totals if not t)}; median matches "
          f"{statistics.median(totals):.0f}, max {max(totals)})")
    print(f"search(): p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {max(timings):.1f} ms")
    print(f"results page (test client, 100 queries): p50 {statistics.median(page_timings):.1f} ms  p95 {page_p95:.1f} ms")
    print("slowest:", "; ".join(f"{q!r} {ms:.0f} ms ({n} matches)" for ms, q, n in slowest))
    print(f"relevance: {hits}/{len(cases)} expected results in the top 3 (share {hits / len(cases):.2f})")
    for query, url, top in misses:
        print(f"  miss: {query!r} expected {url}, got {top}")
    print(f"load average (1 min) {load:.1f} on {os.cpu_count()} cores; random_page_cost={args.random_page_cost}")
    ok = p95 <= TARGET_P95_MS and hits == len(cases)
    print(f"BENCH search docs={args.releases + len(SPECIAL) + args.enterprises} queries={len(qs)} p50_ms={p50:.1f} "
          f"p95_ms={p95:.1f} page_p95_ms={page_p95:.1f} relevance_top3={hits}/{len(cases)} load={load:.1f} "
          f"random_page_cost={args.random_page_cost} "
          f"target=p95<=50ms,relevance_top3=all {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
