"""A starter list of common 错别字 (wrong form → correct form), all 一般 (they warn,
they do not block). Site administrators replace or extend it (import/export)."""

import uuid

from django.db import migrations

TYPOS = """
按装 安装
部份 部分
既使 即使
做为 作为
截止目前 截至目前
以经 已经
必竟 毕竟
布署 部署
峻工 竣工
幅射 辐射
装璜 装潢
帐号 账号
帐户 账户
重迭 重叠
凑和 凑合
坚苦 艰苦
松驰 松弛
震憾 震撼
针贬 针砭
精萃 精粹
气慨 气概
寒喧 寒暄
安祥 安详
蜂涌 蜂拥
发韧 发轫
九宵 九霄
通货膨涨 通货膨胀
挖墙角 挖墙脚
迫不急待 迫不及待
再接再励 再接再厉
一股作气 一鼓作气
走头无路 走投无路
甘败下风 甘拜下风
金榜提名 金榜题名
默守成规 墨守成规
谈笑风声 谈笑风生
入场卷 入场券
烩炙人口 脍炙人口
变本加利 变本加厉
食不裹腹 食不果腹
穿流不息 川流不息
莫明其妙 莫名其妙
一愁莫展 一筹莫展
名列前矛 名列前茅
美仑美奂 美轮美奂
情不自尽 情不自禁
相得益章 相得益彰
出奇不意 出其不意
原形必露 原形毕露
仗义直言 仗义执言
既往不究 既往不咎
一如继往 一如既往
兴高彩烈 兴高采烈
不径而走 不胫而走
貌和神离 貌合神离
直接了当 直截了当
一诺千斤 一诺千金
人情事故 人情世故
陈词烂调 陈词滥调
"""


def pairs():
    for line in TYPOS.strip().splitlines():
        wrong, right = line.split()
        yield wrong, right


def load(apps, schema_editor):
    WordingEntry = apps.get_model("inspection", "WordingEntry")
    WordingListState = apps.get_model("inspection", "WordingListState")
    existing = set(WordingEntry.objects.values_list("term", flat=True))
    WordingEntry.objects.bulk_create([
        WordingEntry(term=wrong, suggestion=right, kind="typo", severity="warn", note="常见错别字（初始词表）")
        for wrong, right in pairs() if wrong not in existing
    ])
    state, _created = WordingListState.objects.get_or_create(pk=1)
    state.version += 1
    state.token = uuid.uuid4()
    state.save()


def unload(apps, schema_editor):
    WordingEntry = apps.get_model("inspection", "WordingEntry")
    WordingEntry.objects.filter(term__in=[wrong for wrong, _right in pairs()], note="常见错别字（初始词表）").delete()


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
