"""20,000 realistic directory rows for the import benchmark: valid credit codes
with computed check characters, Chinese names and text, mixed date and capital
formats, as district sheets have them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from apps.core.credit_code import ALPHABET, compute_check_char
from apps.enterprises.columns import COLUMNS

CLUSTERS = ["现代服务业", "生物医药与大健康", "新一代信息技术", "新材料"]
QUALIFICATIONS = ["高新技术企业", "科技型中小企业", "专精特新中小企业", "专精特新“小巨人”企业", "瞪羚企业", "博士后科研工作站"]
REGIONS = ["650100", "650102", "650103", "650104", "650105", "650106", "650109", "650121"]
BRANDS = "天山 丝路 博格达 昆仑 雪莲 胡杨 金穗 星火 卓越 镕信 堃元 瀚海 云端 百川 华信 众诚 新特 恒泰 天润 金风".split()
TRADES = {
    1: ["商务咨询", "人力资源服务", "供应链管理", "会计服务", "物流", "检验检测"],
    2: ["生物科技", "医药", "医疗器械", "健康管理", "制药"],
    3: ["信息技术", "软件", "数据科技", "网络科技", "智能科技", "电子"],
    4: ["新材料", "塑业", "薄膜科技", "复合材料", "化工新材料"],
}
ROADS = ["北京南路", "长春中路", "高新街", "苏州东街", "天津路", "河北东路", "鲤鱼山南路", "阿勒泰路"]
PRODUCTS = {
    1: ["企业管理咨询", "人才招聘与派遣", "代理记账", "冷链物流"],
    2: ["体外诊断试剂", "中药饮片", "康复器械", "基因检测服务"],
    3: ["工业软件", "政务云平台", "数据中心运维", "智能终端"],
    4: ["农用棚膜", "青贮包膜", "热收缩膜", "五层共挤薄膜"],
}


def credit_code(rng: random.Random, serial: int) -> str:
    region = rng.choice(REGIONS)
    # Organisation code: 8 characters of the alphabet plus one digit, made
    # unique by embedding the serial number.
    org = "".join(rng.choice(ALPHABET) for _ in range(3)) + f"{serial:06d}"
    body = "91" + region + org
    return body + compute_check_char(body)


def make_rows(count: int, seed: int = 20240601) -> tuple[list[str], list[list]]:
    rng = random.Random(seed)
    headers = [column.header for column in COLUMNS]
    cluster_names = CLUSTERS
    qualification_names = QUALIFICATIONS
    rows = []
    for serial in range(count):
        cluster = rng.randint(1, 4)
        brand = rng.choice(BRANDS) + rng.choice(BRANDS)
        trade = rng.choice(TRADES[cluster])
        name = f"新疆{brand}{trade}有限公司" if serial % 3 else f"乌鲁木齐{brand}{trade}股份有限公司"
        if serial % 17 == 0:
            name = name.replace("有限公司", "（新疆）有限公司")
        founded = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randint(0, 10_500))
        capital = Decimal(rng.randint(10, 500_000)) / (10 if serial % 5 == 0 else 1)
        headcount = rng.choice([rng.randint(1, 19), rng.randint(20, 99), rng.randint(100, 299), rng.randint(300, 2000)])
        qualifications = rng.sample(qualification_names, rng.choice([0, 0, 1, 1, 2, 3]))
        products = "、".join(rng.sample(PRODUCTS[cluster], 2))
        rows.append(
            {
                "name": name,
                "short_name": brand + trade[:2] if serial % 2 else "",
                "credit_code": credit_code(rng, serial),
                "cluster": cluster_names[cluster - 1],
                "qualifications": "、".join(qualifications),
                "founded_on": founded,
                "registered_capital": capital,
                "headcount": headcount,
                "address": f"新疆乌鲁木齐高新区（新市区）{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                "website": f"www.{brand_pinyin(serial)}.com.cn" if serial % 4 == 0 else "",
                "phone": f"0991-{rng.randint(2_000_000, 8_999_999)}",
                "description": f"{name}成立于{founded.year}年，主要从事{products}等业务，"
                f"是高新区{cluster_names[cluster - 1]}领域的骨干企业。",
                "main_products": products,
            }
        )
    return headers, rows


def brand_pinyin(serial: int) -> str:
    return f"xj{serial:05d}"


def csv_cells(record: dict) -> list:
    cells = []
    for column in COLUMNS:
        value = record[column.key]
        if column.key == "founded_on":
            # Mixed formats, as in real district sheets.
            value = value.isoformat() if value.day % 2 else f"{value.year}/{value.month}/{value.day}"
        elif column.key == "registered_capital":
            value = f"{value:,}" if value > 1000 else f"{value}万元"
        elif column.key == "headcount":
            value = str(value)
        cells.append(value)
    return cells


def xlsx_cells(record: dict) -> list:
    return [record[column.key] for column in COLUMNS]
