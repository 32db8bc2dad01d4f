"""Demo press releases, written in our own words from the park facts in DOMAIN.md,
with generated pictures (Pillow gradients and shapes; nothing downloaded).

Everything goes through the real actions, as the demo users: ``editor`` uploads
and writes, ``reviewer`` approves and ``publisher`` signs off (签发), which publishes.
Pictures are processed by the worker, never here, and a release may only be
submitted once its pictures are ready. So each release is published first as
text, its pictures are added as a new draft, and the ``news.finish_demo_release``
task (run by the worker, retried until the renditions exist) submits and
publishes that version. Running the loader again changes nothing, except that
it finishes a release whose pictures have become ready meanwhile.
"""

import io
import logging
import random

from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from apps.accounts.models import User
from apps.core.models import IndustryCluster
from apps.editorial import actions as editorial
from apps.editorial.models import Status
from apps.media import actions as media

from .models import PressRelease

logger = logging.getLogger(__name__)

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)

RELEASES = (
    {
        "title": "高新区再度入选全国园区高质量发展百强",
        "subtitle": "位列第73位，为新疆唯一连续两年上榜的园区",
        "summary": "在2022年发布的全国园区高质量发展百强榜单中，乌鲁木齐高新区（新市区）排名第73位。",
        "body": (
            "<p>2022年全国园区高质量发展百强榜单发布，乌鲁木齐高新区（新市区）位列第73位，"
            "连续第二年入选，也是新疆唯一上榜的园区。</p>"
            "<p>今年的百强榜单由53家国家级高新区和47家国家级经济技术开发区组成。截至2021年，"
            "全国共有国家级高新区169家、国家级经开区230家，入选百强意味着园区的综合发展水平位居全国前列。</p>"
            "<h2>稳中有进的产业基础</h2>"
            "<p>作为新疆设立最早的国家级高新区，园区以现代服务业为支柱，持续培育生物医药与大健康、"
            "新一代信息技术和新材料三大主导产业。下一步，园区将继续做好重点项目的“妈妈式”服务，"
            "为企业提供零距离的专人联络。</p>"
        ),
        "keywords": "百强园区,高质量发展,国家级高新区",
        "clusters": ["modern-services", "biomedicine-health", "new-generation-it", "new-materials"],
        "pictures": [("园区全景示意图", "高新区百强", (31, 78, 121), (126, 180, 206))],
    },
    {
        "title": "新材料企业五层共挤薄膜生产线投入运行",
        "subtitle": "农用膜、收缩膜和青贮包装膜产能进一步提升",
        "summary": "园区一家新材料薄膜企业新建的五层共挤生产线投入运行，可生产更薄、更耐用的农用和包装薄膜。",
        "body": (
            "<p>园区新材料产业又添新动能：一家专门生产农用薄膜和收缩膜的企业，近日完成五层共挤生产线的安装调试并正式投产。</p>"
            "<p>五层共挤工艺把不同性能的材料分层复合在一张薄膜里，让产品在更薄的同时兼顾强度、透光和保鲜。"
            "新产线投产后，企业的青贮饲料包装膜供应能力明显增强，可更好地服务区内外的农牧业用户。</p>"
            "<p>园区产业服务专员全程跟进项目建设，协调解决了用电、用工等问题。</p>"
        ),
        "keywords": "新材料,五层共挤,农用膜,青贮膜",
        "clusters": ["new-materials"],
        "pictures": [
            ("新建的五层共挤薄膜生产线", "共挤生产线", (60, 60, 70), (200, 120, 40)),
            ("成卷的青贮包装膜", "青贮包装膜", (30, 110, 60), (180, 220, 160)),
        ],
    },
    {
        "title": "园区企业博士后科研工作站迎来新一批进站人员",
        "subtitle": "",
        "summary": "依托区内一家能源企业设立的国家级博士后科研工作站迎来新的进站博士后，围绕企业技术难题开展研究。",
        "body": (
            "<p>区内一家能源企业设立的国家级博士后科研工作站，近日迎来新一批进站博士后研究人员。</p>"
            "<p>工作站坚持“企业出题、人才答题”，研究方向紧扣企业生产中的实际需要。园区结合<a href=\"/talent/\">“十百千”人才引进计划"
            "和“天山火炬之星”青年人才计划</a>，为进站人员提供住房、子女入学等方面的服务保障。</p>"
        ),
        "keywords": "博士后科研工作站,人才引进,十百千",
        "clusters": ["modern-services"],
        "pictures": [("工作站实验室一角", "博士后工作站", (40, 40, 90), (150, 150, 230))],
    },
    {
        "title": "生物医药创新创业园新增一批入驻项目",
        "subtitle": "孵化、中试到产业化的链条更加完整",
        "summary": "园区生物医药创新创业园新签约一批研发和生产项目，覆盖检测试剂、中药材精深加工等方向。",
        "body": (
            "<p>生物医药与大健康是园区重点培育的主导产业之一。位于园区的生物医药创新创业园近日新签约一批项目，"
            "涵盖检测试剂研发、中药材精深加工和医疗器械等领域。</p>"
            "<p>创新创业园为入驻团队提供公共实验平台、中试车间和注册申报辅导，帮助项目从实验室走向市场。</p>"
        ),
        "keywords": "生物医药,大健康,创新创业园",
        "clusters": ["biomedicine-health"],
        "pictures": [("创新创业园公共实验平台", "生物医药园", (20, 90, 100), (150, 220, 210))],
    },
    {
        "title": "“丝路之星”人力资源服务产业园服务企业用工",
        "subtitle": "新疆首个人力资源服务产业园",
        "summary": "“丝路之星”国际人力资源服务产业园集聚招聘、培训、人才测评等机构，为区内企业提供一站式用工服务。",
        "body": (
            "<p>作为新疆首个人力资源服务产业园，“丝路之星”国际人力资源服务产业园已集聚一批招聘、培训、"
            "人才测评和劳务派遣机构。</p>"
            "<p>产业园近期组织了多场专场招聘，帮助区内新材料、信息技术等企业对接技术工人和专业人才，"
            "并为求职者提供政策咨询和职业指导。</p>"
        ),
        "keywords": "人力资源服务,丝路之星,招聘",
        "clusters": ["modern-services"],
        "pictures": [("产业园专场招聘会现场", "丝路之星", (120, 60, 30), (240, 200, 120))],
    },
    {
        "title": "创业社区开设移动金融服务站",
        "subtitle": "金融顾问走进商业综合体，为商户讲解融资渠道",
        "summary": "园区创业社区在一处商业综合体设立移动金融服务站，为小微商户提供融资咨询。",
        "body": (
            "<p>为帮助小微商户解决融资难题，园区创业社区在一处商业综合体设立了<a href=\"/stations/\">移动金融服务站</a>。</p>"
            "<p>服务站定期请金融机构的顾问驻点，向商户讲解信用贷款、创业担保贷款等融资渠道和申请材料，"
            "商户也可以在“办事服务”栏目在线提交诉求。</p>"
        ),
        "keywords": "创业社区,金融服务站,小微企业融资",
        "clusters": ["modern-services"],
        "pictures": [("商业综合体里的移动金融服务站", "金融服务站", (90, 30, 80), (230, 170, 210))],
    },
)


def _font(size: int):
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def make_picture(label: str, top: tuple, bottom: tuple, *, seed: int, size=(1600, 1000)) -> bytes:
    """A gradient with soft shapes and a caption-like label: recognisable, not a photo."""
    w, h = size
    gradient = PILImage.linear_gradient("L").resize(size)
    im = PILImage.composite(PILImage.new("RGB", size, bottom), PILImage.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(im)
    rnd = random.Random(seed)
    for _ in range(14):
        x, y, r = rnd.randrange(w), rnd.randrange(h), rnd.randrange(40, 220)
        shade = tuple(min(255, c + rnd.randrange(20, 60)) for c in top)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=shade, width=6)
    for i in range(5):  # a skyline of buildings
        bw = rnd.randrange(120, 260)
        bh = rnd.randrange(200, 520)
        x = 80 + i * 300
        draw.rectangle((x, h - bh, x + bw, h), fill=tuple(max(0, c - 30) for c in top))
    font = _font(96)
    draw.text((80, 80), label, fill=(255, 255, 255), font=font)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=88)
    return out.getvalue()


def _user(username):
    return User.objects.get(username=username)


def finish(release) -> bool:
    """Submit, review and publish a release's draft once its pictures are ready.
    True when there is nothing (more) to do."""
    release = PressRelease._base_manager.get(pk=release.pk)
    if not release.has_unpublished_changes:
        return True
    if release.status != Status.DRAFT or release.submission_problems():
        return release.status != Status.DRAFT
    with transaction.atomic():
        editorial.submit(release, by=_user("editor"), note="补充图片")
        editorial.approve(release, by=_user("reviewer"), note="图片和说明核对无误")
        editorial.approve(release, by=_user("publisher"), note="同意发布", major=False)  # 签发 publishes
    return True


def _create(spec, index: int) -> None:
    editor = _user("editor")
    clusters = list(IndustryCluster.objects.filter(slug__in=spec["clusters"]).values_list("pk", flat=True))
    fields = {k: spec[k] for k in ("title", "subtitle", "summary", "body", "keywords")}
    fields.update(source="乌鲁木齐高新区（新市区）党政办公室", authors="宣传科", responsible_editor="李编辑")
    with transaction.atomic():
        release = editorial.create_draft(PressRelease, by=editor, fields=fields, m2m={"clusters": clusters})
        editorial.submit(release, by=editor)
        editorial.approve(release, by=_user("reviewer"), note="内容核对无误")
        editorial.approve(release, by=_user("publisher"), note="同意发布")  # 签发 publishes
        images = []
        for n, (alt, label, top, bottom) in enumerate(spec["pictures"]):
            data = make_picture(label, top, bottom, seed=index * 10 + n)
            images.append(media.upload_image(
                SimpleUploadedFile(f"demo-{index}-{n}.jpg", data, "image/jpeg"), by=editor,
                title=label, alt_text=alt, caption=alt, credit="园区宣传科（示意图）", copyright="乌鲁木齐高新区",
            ))
        release = PressRelease._base_manager.get(pk=release.pk)
        editorial.save_draft(
            release, by=editor, fields={"cover_image": images[0]},
            children={"gallery_items": [{"position": i, "image": im, "caption": ""} for i, im in enumerate(images[1:])]},
            summary="补充图片",
        )
        transaction.on_commit(lambda: _queue_finish(release.pk))


def _queue_finish(pk: int) -> None:
    try:  # by name: the task (apps.news.tasks) calls finish() above
        current_app.send_task("news.finish_demo_release", args=[pk], countdown=5)
    except Exception as exc:  # noqa: BLE001 - no broker: the next load_demo finishes it
        logger.warning("demo: could not queue finishing release %s (%s)", pk, exc)


def load(*, by) -> None:
    for index, spec in enumerate(RELEASES):
        existing = PressRelease._base_manager.filter(title=spec["title"]).first()
        if existing is None:
            _create(spec, index)
        elif existing.has_unpublished_changes and existing.status == Status.DRAFT:
            problems = existing.submission_problems()
            if not problems:
                finish(existing)
            elif not any("处理中" in p for p in problems):
                logger.warning("demo: %s cannot be finished: %s", existing.title, problems)
